/* The result lists of the layui front end as the variant says (SW.variant.results): bootstrap-table,
   layui table.render, or a table the server rendered (templates/layui/_list.html). The page gives the
   columns and operation links in data-list (mock_portal/layui_lists.py); SW.list returns
   {search, reload, updated(row, field, value)}. */
(function (window, $) {
  "use strict";
  var SW = window.SW;

  function esc(v) { return $("<i>").text(v == null ? "" : String(v)).html(); }
  function uniq(list) { return $.grep(list, function (x, i) { return $.inArray(x, list) === i; }); }

  function opLinks(ops, row) {
    return $.map(ops, function (o) {
      return '<a href="javascript:;" class="sw-op" data-op="' + o.op + '" data-id="' + esc(row.id) + '">' +
        (o.icon ? '<i class="layui-icon">' + o.icon + "</i>" : "") + o.text + "</a>";
    }).join(" | ");
  }

  /* opts: el (the table), listEl (where data-list is), url, method, form, extra, formatters {field: fn},
     onOp(op, row). */
  SW.list = function (opts) {
    var v = SW.variant, spec = (opts.listEl || opts.el).data("list") || {}, rows = {};
    var cell = function (key, value, row) {
      var f = opts.formatters && opts.formatters[key];
      return f ? f(value, row) : esc(value);
    };
    var links = function (row) { rows[String(row.id)] = row; return opLinks(spec.ops, row); };
    $(document).on("click", ".sw-op", function () {
      var row = rows[String($(this).attr("data-id"))];
      if (row) opts.onOp($(this).attr("data-op"), row);
    });
    var sizes = uniq([v.page_size || 10, 10, 20, 50]).sort(function (a, b) { return a - b; });

    if (v.results === "layui") return layuiTable(opts, spec, cell, links, sizes);
    if (v.results === "server") return serverTable(opts, spec, rows);

    var $t = opts.el;
    var columns = $.map(spec.columns, function (c) {
      var key = c[0];
      if (key === "checkbox") return { checkbox: true };
      if (key === "serial") return { title: "序号", align: "center", width: 60, formatter: SW.serial($t) };
      if (key === "op") return { title: "操作", align: "center", width: spec.ops.length > 1 ? 120 : 80,
        formatter: function (x, row) { return links(row); } };
      return { field: key, title: c[1], formatter: function (value, row) { return cell(key, value, row); } };
    });
    var table = { url: opts.url, columns: columns, pageSize: v.page_size || 10, pageList: sizes };
    if (opts.method) table.method = opts.method;
    if (v.pager === "alt") {
      $.extend(table, { paginationPreText: "上一页", paginationNextText: "下一页",
        paginationParts: ["pageInfoShort", "pageList"] });
    }
    $t.bootstrapTable(SW.tableOptions({ form: opts.form, extra: opts.extra, table: table }));
    return {
      search: function () { $t.bootstrapTable("refresh", { pageNumber: 1 }); },
      reload: function () { $t.bootstrapTable("refresh"); },
      updated: function () { $t.bootstrapTable("refresh"); }
    };
  };

  /* 查询 searches (Enter too); 重置 empties every field and searches again. */
  SW.queryButtons = function ($form, form, list) {
    $(".sw-search").on("click", function () { list.search(); });
    $form.on("submit", function () { list.search(); return false; });
    $(".sw-reset").on("click", function () {
      $form.find("input[type=text]").val("");
      $form.find("select").val("");
      form.render("select");
      list.search();
    });
  };

  function layuiTable(opts, spec, cell, links, sizes) {
    var v = SW.variant, table = layui.table, id = opts.el.attr("id"), layer = layui.layer;
    var cols = $.map(spec.columns, function (c) {
      var key = c[0];
      if (key === "checkbox") return { type: "checkbox" };
      if (key === "serial") return { type: "numbers", title: "序号" };
      if (key === "op") return { title: "操作", align: "center", minWidth: spec.ops.length > 1 ? 120 : 80,
        templet: function (d) { return links(d); } };
      return { field: key, title: c[1], minWidth: 110, templet: function (d) { return cell(key, d[key], d); } };
    });
    var page = v.pager === "alt" ? { layout: ["count", "prev", "page", "next"], prev: "上一页", next: "下一页" } : {};
    table.render({
      elem: opts.el, id: id, url: opts.url, method: opts.method || "post",
      headers: { "X-CSRF-Token": SW.csrf }, where: SW.params(opts.form, opts.extra),
      page: page, limit: v.page_size || 10, limits: sizes, cols: [cols],
      parseData: function (res) {
        if (SW.expired(res)) { SW.toLogin(res.errMsg); return { code: 0, msg: "", count: 0, data: [] }; }
        if (res.errCode === "100") return { code: 0, msg: "", count: res.total, data: res.rows };
        if (res.errCode !== "101") layer.msg(res.errMsg || "查询失败", { icon: 2 });
        return { code: 0, msg: "", count: 0, data: [] };
      },
      error: function (xhr) {
        if (!xhr || xhr.status >= 500 || xhr.status === 0) SW.busy();
        else layer.msg("查询失败", { icon: 2 });
      }
    });
    var reload = function (first) {
      var options = { where: SW.params(opts.form, opts.extra) };
      if (first) options.page = $.extend({}, page, { curr: 1 });
      table.reloadData(id, options);
    };
    return {
      search: function () { reload(true); },
      reload: function () { reload(false); },
      updated: function () { reload(false); }
    };
  }

  function serverTable(opts, spec, rows) {
    $.each(spec.rows || [], function (_, r) { rows[String(r.id)] = r; });
    if (spec.message) layui.layer.msg(spec.message, { icon: 2 });
    return {
      search: function () { opts.form[0].submit(); },
      reload: function () { window.location.reload(); },
      /* the row's cell changes in place (no reload, so that a message shown now stays) */
      updated: function (row, field, value) {
        opts.el.find('tr[data-id="' + row.id + '"] td[data-key="' + field + '"]').text(value);
      }
    };
  }
})(window, window.jQuery);
