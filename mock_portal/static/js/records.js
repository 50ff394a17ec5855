/* 补录信息查询: filters, 补录信息列表 table and the 补录详情 layer. */
(function () {
  "use strict";
  const P = window.Portal;
  const el = P.el;
  const form = document.getElementById("query-form");

  const query = P.makeQuery({
    url: "/origin/api/supplement/records",
    table: document.getElementById("records-table"),
    pager: document.getElementById("pager"),
    collect: () => ({
      authority: form.elements.authority.value,
      certNo: form.elements.certNo.value.trim(),
      status: form.elements.status.value,
      from: form.elements.from.value,
      to: form.elements.to.value,
    }),
    row: (r, n) => el("tr", { "data-id": r.id },
      el("td", {}, n),
      el("td", {}, r.certNo),
      el("td", {}, r.authority),
      el("td", { class: "wrap" }, r.certType),
      el("td", {}, r.exporterCode),
      el("td", {}, r.exported),
      el("td", { class: "numbers" }, r.declarationNos.join(";")),
      el("td", {}, r.time),
      el("td", { title: r.reason || null }, r.status),
      el("td", {}, el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); details(r); } }, "详情"))),
  });

  function details(row) {
    window.layer.open({
      title: "补录详情",
      iframe: "/origin/supplement/records/" + encodeURIComponent(row.id),
      iframeTitle: "补录详情内容",
      area: ["640px", "400px"],
      closeBtn: false,
      btn: ["关闭"],
    });
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); query.run(1); });
  query.run(1);
})();
