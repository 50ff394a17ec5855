/* Shared by the layui front end's pages: CSRF header for jQuery, the page's variant (mock_portal/variants.py),
   the expired-session and system-busy answers, notices, date inputs, the 报关单号补录 form, and the
   bootstrap-table options every bootstrap list uses (server-side paging, the portal envelope). */
(function (window, $) {
  "use strict";
  var csrf = $('meta[name="csrf-token"]').attr("content") || "";
  $.ajaxSetup({ headers: { "X-CSRF-Token": csrf } });

  function layer() { return window.layui.layer; }
  function variant() {
    try { return JSON.parse($('meta[name="sw-variant"]').attr("content") || "{}"); } catch (e) { return {}; }
  }
  var LOGIN = "/cas/login?expired=1";

  var SW = {
    csrf: csrf,
    variant: variant(),
    dialogFailRate: parseFloat($('meta[name="dialog-fail-rate"]').attr("content")) || 0,

    /* errCode -1 / 401: the session is gone; say so (a short message, or an alert whose 确定 goes on),
       then the whole window goes to the login page. */
    expired: function (res) { return !!res && (res.errCode === "-1" || res.errCode === "401"); },
    toLogin: function (text) {
      var go = function () { window.top.location.href = LOGIN; };
      if (SW.variant.expiry === "alert") {
        layer().alert("登录超时，请重新登录", { icon: 0, title: "提示", closeBtn: 0 }, go);
        return;
      }
      layer().msg(text || "登录已超时，请重新登录", { icon: 2, time: 1500 }, go);
    },
    busy: function () { layer().msg("系统繁忙，请稍后重试", { icon: 2 }); },

    /* The notice layers the page carries (templates/layui/_notice.html), one over the other. */
    notices: function (lay) {
      $("script.sw-notice-content").each(function () {
        var $n = $(this);
        lay.open({ type: 1, title: $n.data("title"), area: ["520px", "auto"], shadeClose: false,
          content: $n.html(), btn: [$n.data("btn")] });
      });
    },

    /* laydate on the read-only date inputs (one range input: range mode); typed dates need nothing. */
    dates: function (laydate) {
      $("input.sw-laydate").each(function () {
        laydate.render({ elem: this, range: $(this).data("range") ? true : false });
      });
    },

    /* A message after 【提交】 or about the entry: layer.msg, or layer.alert needing 确定 (variant outcome). */
    say: function (lay, text, ok) {
      if (SW.variant.outcome === "alert") {
        lay.alert(text, { icon: ok ? 1 : 2 }, function (i) { lay.close(i); });
      } else {
        lay.msg(text, { icon: ok ? 1 : 2, time: ok ? 2000 : 3000 });
      }
    },

    /* The 报关单号补录 form inside $root: radios 是/否 (layui's or native), 否 clears and disables the numbers. */
    editForm: function ($root, form, lay) {
      var $text = $root.find('textarea[name="declarationNos"]');
      function toggle(value) {
        var no = value === "0";
        if (no) $text.val("");
        $text.prop("disabled", no).toggleClass("layui-disabled", no);
      }
      form.render(null, "edit");
      form.on("radio(exported)", function (data) { toggle(data.value); });
      $root.on("change", 'input[name="exported"]', function () { toggle(this.value); });
      return {
        collect: function () {
          return {
            exported: $root.find('input[name="exported"]:checked').val() || "",
            declarationNos: $text.prop("disabled") ? "" : $text.val()
          };
        },
        error: function (text) { SW.say(lay, text, false); }
      };
    },

    /* The query form's fields as {name: value}. */
    params: function ($form, extra) {
      var params = {};
      $.each($form.serializeArray(), function (_, f) { params[f.name] = $.trim(f.value); });
      return $.extend(params, extra || {});
    },

    /* bootstrap-table: limit/offset plus the form's fields, the {errCode, rows, total} envelope. */
    tableOptions: function (opts) {
      return $.extend({
        method: "post",
        contentType: "application/x-www-form-urlencoded",
        sidePagination: "server",
        pagination: true,
        pageNumber: 1,
        pageSize: 10,
        pageList: [10, 20, 50],
        locale: "zh-CN",
        classes: "table table-bordered table-hover table-condensed",
        striped: true,
        cache: false,
        uniqueId: "id",
        queryParamsType: "limit",
        queryParams: function (p) {
          return $.extend({ limit: p.limit, offset: p.offset }, SW.params(opts.form, opts.extra));
        },
        responseHandler: function (res) {
          if (SW.expired(res)) { SW.toLogin(res.errMsg); return { total: 0, rows: [] }; }
          if (res.errCode === "100") return { total: res.total, rows: res.rows };
          if (res.errCode !== "101") layer().msg(res.errMsg || "查询失败", { icon: 2 });
          return { total: 0, rows: [] };
        },
        onLoadError: function (status) {
          if (status >= 500 || status === 0) SW.busy();
          else layer().msg("查询失败", { icon: 2 });
        }
      }, opts.table);
    },

    /* 序号 over all pages of a server-paged table. */
    serial: function ($table) {
      return function (value, row, index) {
        var o = $table.bootstrapTable("getOptions");
        return (o.pageNumber - 1) * o.pageSize + index + 1;
      };
    }
  };
  window.SW = SW;
})(window, window.jQuery);
