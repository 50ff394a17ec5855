/* 报关单号补录 search (guide steps 8–11): layui form, laydate, the bootstrap-table list and the
   报关单号补录 layer (an iframe layer whose 提交 button, from layer's btn, posts the form). */
(function (window, $) {
  "use strict";
  var SW = window.SW;
  var $form = $("form.sw-query");
  var $table = $("#cert-table");
  var authority = $form.data("authority");
  var swallowed = {};

  layui.use(["layer", "form", "laydate"], function () {
    var layer = layui.layer, form = layui.form, laydate = layui.laydate;
    form.render();
    laydate.render({ elem: "#createdFrom" });
    laydate.render({ elem: "#createdTo" });

    function openDialog(row) {
      if (SW.dialogFailRate > 0 && !swallowed[row.id]) {
        swallowed[row.id] = true;
        if (Math.random() < SW.dialogFailRate) return; // chaos: the first click on this row does nothing
      }
      layer.open({
        type: 2,
        title: "报关单号补录",
        area: ["600px", "420px"],
        content: "/swOrigin/supplement/edit?certId=" + encodeURIComponent(row.id),
        btn: ["提交", "取消"],
        yes: function (index, layero) {
          var win = window[layero.find("iframe")[0].name];
          if (!win || !win.SWEdit) return;
          var data = win.SWEdit.collect();
          var $btn = layero.find(".layui-layer-btn0");
          if ($btn.hasClass("layui-btn-disabled")) return;
          $btn.addClass("layui-btn-disabled");
          $.ajax({
            url: "/swOrigin/api/supplement/save", type: "POST", dataType: "json",
            data: { certId: row.id, exported: data.exported, declarationNos: data.declarationNos, csrf_token: SW.csrf }
          }).done(function (res) {
            if (SW.expired(res)) { SW.toLogin(res.errMsg); return; }
            if (res.errCode === "100") {
              layer.close(index);
              layer.msg(res.errMsg || "提交成功", { icon: 1, time: 2000 });
              $table.bootstrapTable("refresh");
            } else {
              win.SWEdit.error(res.errMsg);
            }
          }).fail(function () {
            SW.busy();
          }).always(function () {
            $btn.removeClass("layui-btn-disabled");
          });
        }
      });
    }

    $table.bootstrapTable(SW.tableOptions({
      form: $form,
      extra: { authority: authority },
      table: {
        url: "/swOrigin/api/supplement/certList",
        method: "get",
        columns: [
          { title: "序号", align: "center", width: 60, formatter: SW.serial($table) },
          { field: "certNo", title: "证明号" },
          { field: "certType", title: "证明类型" },
          { field: "exporterCode", title: "出口商代码" },
          { field: "exporterName", title: "出口商名称" },
          { field: "createdOn", title: "证明创建日期", align: "center" },
          { field: "auditStatus", title: "审核状态", align: "center" },
          { field: "supplementStatus", title: "补录状态", align: "center", formatter: function (v) {
            var cls = v === "海关接收成功" ? "sw-ok" : v === "海关接收失败" ? "sw-fail" : v === "已申报" ? "sw-wait" : "";
            return '<span class="' + cls + '">' + $("<i>").text(v).html() + "</span>";
          } },
          { title: "操作", align: "center", width: 80,
            formatter: function () { return '<a href="javascript:;" class="sw-op"><i class="layui-icon">&#xe642;</i>补录</a>'; },
            events: { "click .sw-op": function (e, value, row) { openDialog(row); } } }
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
