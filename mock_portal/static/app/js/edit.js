/* The 报关单号补录 form inside the layer's iframe: layui radios 是/否; the opener's 提交 reads it. */
(function (window, $) {
  "use strict";
  layui.use(["layer", "form"], function () {
    var layer = layui.layer, form = layui.form;
    var $text = $('textarea[name="declarationNos"]');
    form.render();
    form.on("radio(exported)", function (data) {
      var no = data.value === "0";
      if (no) $text.val("");
      $text.prop("disabled", no).toggleClass("layui-disabled", no);
    });
    window.SWEdit = {
      collect: function () {
        return {
          exported: $('input[name="exported"]:checked').val() || "",
          declarationNos: $text.prop("disabled") ? "" : $text.val()
        };
      },
      error: function (text) { layer.msg(text, { icon: 2, time: 3000 }); }
    };
  });
})(window, window.jQuery);
