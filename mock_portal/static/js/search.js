/* 补录 search page: criteria, 查询结果 table, and the 报关单号补录 dialog (steps 8–11). */
(function () {
  "use strict";
  const P = window.Portal;
  const el = P.el;
  const form = document.getElementById("query-form");
  const authority = form.dataset.authority;
  const swallowed = new Set();

  function statusClass(text) {
    if (text === "海关接收成功") return "status-ok";
    if (text === "海关接收失败") return "status-fail";
    if (text === "已申报") return "status-wait";
    return "";
  }

  const query = P.makeQuery({
    url: "/origin/api/supplement/certs",
    table: document.getElementById("result-table"),
    pager: document.getElementById("pager"),
    collect: () => ({
      authority: authority,
      certType: form.elements.certType.value,
      exporterCode: form.elements.exporterCode.value.trim(),
      createdFrom: form.elements.createdFrom.value,
      createdTo: form.elements.createdTo.value,
      certNo: form.elements.certNo.value.trim(),
    }),
    row: (r, n) => el("tr", { "data-id": r.id },
      el("td", {}, n),
      el("td", {}, r.certNo),
      el("td", { class: "wrap" }, r.certType),
      el("td", {}, r.exporterCode),
      el("td", { class: "wrap" }, r.exporterName),
      el("td", {}, r.createdOn),
      el("td", {}, r.auditStatus),
      el("td", { class: statusClass(r.supplementStatus) }, r.supplementStatus),
      el("td", {}, el("button", { type: "button", class: "link-btn", onclick: () => openDialog(r) }, "补录"))),
  });

  function openDialog(row) {
    if (P.dialogFailRate > 0 && !swallowed.has(row.id)) {
      swallowed.add(row.id);
      if (Math.random() < P.dialogFailRate) return; // chaos: the first click on this row does nothing
    }
    const body = document.getElementById("supplement-template").content.firstElementChild.cloneNode(true);
    body.querySelector("[data-cert-line]").textContent = "证明号: " + row.certNo;
    const textarea = body.querySelector("textarea");
    const error = body.querySelector("[data-error]");
    body.querySelectorAll('input[name="exported"]').forEach((radio) => {
      radio.addEventListener("change", () => {
        const no = radio.checked && radio.value === "0";
        if (no) textarea.value = "";
        textarea.disabled = no;
      });
    });
    window.layer.open({
      title: "报关单号补录",
      content: body,
      area: ["560px"],
      btn: ["提交", "取消"],
      yes: async (index, box) => {
        const submit = box.querySelector(".layui-layer-btn0");
        const checked = body.querySelector('input[name="exported"]:checked');
        error.textContent = "";
        submit.disabled = true;
        const answer = await P.postJSON("/origin/api/supplement/submit", {
          certId: row.id,
          exported: checked ? checked.value : "",
          declarationNos: textarea.disabled ? "" : textarea.value,
        });
        submit.disabled = false;
        if (!answer) return;
        if (answer.errCode === "100") {
          window.layer.close(index);
          window.layer.msg("提交成功", { role: "status" });
          query.run(query.current());
        } else {
          error.textContent = answer.errMsg;
        }
      },
    });
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); query.run(1); });
  document.getElementById("reset-button").addEventListener("click", () => { form.reset(); query.run(1); });
  query.run(1);
})();
