/* Shared by the layui front end's pages: CSRF header for jQuery, the expired-session and system-busy
   answers, and the bootstrap-table options every list uses (server-side paging, the portal envelope). */
(function (window, $) {
  "use strict";
  var csrf = $('meta[name="csrf-token"]').attr("content") || "";
  $.ajaxSetup({ headers: { "X-CSRF-Token": csrf } });

  function layer() { return window.layui.layer; }

  var SW = {
    csrf: csrf,
    dialogFailRate: parseFloat($('meta[name="dialog-fail-rate"]').attr("content")) || 0,

    /* errCode -1 / 401: the session is gone; say so, then the whole window goes to the login page. */
    expired: function (res) { return !!res && (res.errCode === "-1" || res.errCode === "401"); },
    toLogin: function (text) {
      layer().msg(text || "登录已超时，请重新登录", { icon: 2, time: 1500 }, function () {
        window.top.location.href = "/cas/login?expired=1";
      });
    },
    busy: function () { layer().msg("系统繁忙，请稍后重试", { icon: 2 }); },

    /* bootstrap-table: limit/offset plus the form's fields, the {errCode, rows, total} envelope. */
    tableOptions: function (opts) {
      var $form = opts.form;
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
          var params = { limit: p.limit, offset: p.offset };
          $.each($form.serializeArray(), function (_, f) { params[f.name] = $.trim(f.value); });
          return $.extend(params, opts.extra || {});
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
