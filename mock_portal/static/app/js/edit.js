/* The 报关单号补录 form inside the layer's iframe (dialog type 2); the opener's 提交 reads SWEdit. */
(function (window, $) {
  "use strict";
  layui.use(["layer", "form"], function () {
    window.SWEdit = window.SW.editForm($("form.sw-edit"), layui.form, layui.layer);
  });
})(window, window.jQuery);
