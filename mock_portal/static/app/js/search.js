/* 报关单号补录 search (guide steps 8–11): the query form, the result list (lists.js) and the 报关单号补录
   layer: an iframe layer (type 2) or the form fetched into the page (type 1); its 提交 button, from
   layer's btn, posts the form. What 【提交】 shows follows the variant's outcome. */
(function (window, $) {
  "use strict";
  var SW = window.SW, v = SW.variant;
  var $form = $("form.sw-query");
  var $table = $("#cert-table");
  var authority = $form.data("authority");
  var swallowed = {};
  var TITLE = "报关单号补录";

  layui.use(["layer", "form", "laydate", "table"], function () {
    var layer = layui.layer, form = layui.form;
    form.render();
    SW.dates(layui.laydate);

    var list = SW.list({
      el: $table, listEl: $("#cert-list").length ? $("#cert-list") : $table,
      url: "/swOrigin/api/supplement/certList", method: "get", form: $form, extra: { authority: authority },
      formatters: {
        supplementStatus: function (value) {
          var cls = value === "海关接收成功" ? "sw-ok" : value === "海关接收失败" ? "sw-fail" : value === "已申报" ? "sw-wait" : "";
          return '<span class="' + cls + '">' + $("<i>").text(value).html() + "</span>";
        }
      },
      onOp: function (op, row) { if (op === "view") view(row); else openDialog(row); }
    });

    function view(row) {
      var html = '<table class="layui-table sw-detail" lay-size="sm"><tbody>';
      $.each([["证明号", "certNo"], ["证明类型", "certType"], ["出口商代码", "exporterCode"], ["出口商名称", "exporterName"],
              ["证明创建日期", "createdOn"], ["审核状态", "auditStatus"], ["补录状态", "supplementStatus"]], function (_, f) {
        html += "<tr><td>" + f[0] + "</td><td>" + $("<i>").text(row[f[1]]).html() + "</td></tr>";
      });
      layer.open({ type: 1, title: "证明详情", area: ["520px", "auto"], content: html + "</tbody></table>", btn: ["关闭"] });
    }

    function submit(index, layero, row) {
      var editor = v.dialog === "type1" ? layero.data("editor") : null;
      if (!editor) {
        var win = window[layero.find("iframe").attr("name")];
        editor = win && win.SWEdit;
      }
      if (!editor) return;
      var data = editor.collect();
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
          if (v.outcome !== "silent") SW.say(layer, res.errMsg || "提交成功", true);
          list.updated(row, "supplementStatus", (res.data && res.data.status) || "已申报");
        } else {
          editor.error(res.errMsg);
        }
      }).fail(function () {
        SW.busy();
      }).always(function () {
        $btn.removeClass("layui-btn-disabled");
      });
    }

    function openDialog(row) {
      if (SW.dialogFailRate > 0 && !swallowed[row.id]) {
        swallowed[row.id] = true;
        if (Math.random() < SW.dialogFailRate) return; // chaos: the first click on this row does nothing
      }
      var url = "/swOrigin/supplement/edit?certId=" + encodeURIComponent(row.id);
      var options = { title: TITLE, area: ["600px", "420px"], btn: ["提交", "取消"],
        yes: function (index, layero) { submit(index, layero, row); } };
      if (v.dialog !== "type1") {
        layer.open($.extend({ type: 2, content: url }, options));
        return;
      }
      $.get(url + "&fragment=1").done(function (html) {
        if (typeof html !== "string") { if (SW.expired(html)) SW.toLogin(html.errMsg); return; }
        layer.open($.extend({ type: 1, content: html, success: function (layero) {
          layero.data("editor", SW.editForm(layero.find("form.sw-edit"), form, layer));
        } }, options));
      }).fail(function () { SW.busy(); });
    }

    SW.queryButtons($form, form, list);
  });
})(window, window.jQuery);
