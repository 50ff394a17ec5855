/* 补录信息查询 (guide 二.6–7): filters, the bootstrap-table list and the 补录详情 layer. */
(function (window, $) {
  "use strict";
  var SW = window.SW;
  var $form = $("form.sw-query");
  var $table = $("#record-table");

  layui.use(["layer", "form", "laydate"], function () {
    var layer = layui.layer, form = layui.form, laydate = layui.laydate;
    form.render();
    laydate.render({ elem: "#from" });
    laydate.render({ elem: "#to" });

    $table.bootstrapTable(SW.tableOptions({
      form: $form,
      table: {
        url: "/swOrigin/api/supplement/recordList",
        columns: [
          { title: "序号", align: "center", width: 60, formatter: SW.serial($table) },
          { field: "certNo", title: "证明号" },
          { field: "authority", title: "签证机构", align: "center" },
          { field: "certType", title: "证明类型" },
          { field: "exporterCode", title: "出口商代码" },
          { field: "exported", title: "是否实际出口", align: "center" },
          { field: "declarationNos", title: "报关单号", class: "sw-numbers" },
          { field: "time", title: "补录时间", align: "center" },
          { field: "status", title: "补录状态", align: "center", formatter: function (v, row) {
            var $s = $("<span>").text(v);
            if (row.reason) $s.attr("title", row.reason);
            return $("<div>").append($s).html();
          } },
          { title: "操作", align: "center", width: 80,
            formatter: function () { return '<a href="javascript:;" class="sw-op"><i class="layui-icon">&#xe60b;</i>详情</a>'; },
            events: { "click .sw-op": function (e, value, row) {
              layer.open({ type: 2, title: "补录详情", area: ["640px", "460px"], btn: ["关闭"],
                content: "/swOrigin/supplement/detail?id=" + encodeURIComponent(row.id) });
            } } }
        ]
      }
    }));

    form.on("submit(search)", function () {
      $table.bootstrapTable("refresh", { pageNumber: 1 });
      return false;
    });
    $form.on("submit", function () { return false; });
    $("#reset").on("click", function () {
      setTimeout(function () { form.render("select"); $table.bootstrapTable("refresh", { pageNumber: 1 }); }, 0);
    });
  });
})(window, window.jQuery);
