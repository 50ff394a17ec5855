/* 补录信息查询 (guide 二.6–7): the filters (as many as the variant has), the result list (lists.js) and
   the 补录详情 layer (an iframe, or the details fetched into the page). */
(function (window, $) {
  "use strict";
  var SW = window.SW, v = SW.variant;
  var $form = $("form.sw-query");
  var $table = $("#record-table");
  var TITLE = "补录详情";

  layui.use(["layer", "form", "laydate", "table"], function () {
    var layer = layui.layer, form = layui.form;
    form.render();
    SW.dates(layui.laydate);

    function detail(row) {
      var url = "/swOrigin/supplement/detail?id=" + encodeURIComponent(row.id);
      var options = { title: TITLE, area: ["640px", "460px"], btn: ["关闭"] };
      if (v.dialog !== "type1") {
        layer.open($.extend({ type: 2, content: url }, options));
        return;
      }
      $.get(url + "&fragment=1").done(function (html) {
        if (typeof html !== "string") { if (SW.expired(html)) SW.toLogin(html.errMsg); return; }
        layer.open($.extend({ type: 1, content: html }, options));
      }).fail(function () { SW.busy(); });
    }

    var list = SW.list({
      el: $table, listEl: $("#record-list").length ? $("#record-list") : $table,
      url: "/swOrigin/api/supplement/recordList", form: $form,
      formatters: {
        status: function (value, row) {
          var $s = $("<span>").text(value);
          if (row.reason) $s.attr("title", row.reason);
          return $("<div>").append($s).html();
        },
        declarationNos: function (value) { return '<span class="sw-numbers">' + $("<i>").text(value).html() + "</span>"; }
      },
      onOp: function (op, row) {
        if (op === "print") layer.msg("打印功能在演示门户中未开放", { icon: 0 });
        else detail(row);
      }
    });

    SW.queryButtons($form, form, list);
  });
})(window, window.jQuery);
