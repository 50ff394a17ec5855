/* laydate-like picker for read-only inputs marked data-datepicker: role=dialog "选择日期", selects 年/月. */
(function () {
  "use strict";
  let current = null;

  function pad(n) { return String(n).padStart(2, "0"); }
  function fmt(y, m, d) { return y + "-" + pad(m) + "-" + pad(d); }
  function close() { if (current) { current.box.remove(); current = null; } }

  function open(input) {
    close();
    const el = window.Portal.el;
    const today = new Date();
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
    let y = match ? +match[1] : today.getFullYear();
    let m = match ? +match[2] : today.getMonth() + 1;
    const box = el("div", { class: "laydate", role: "dialog", "aria-label": "选择日期" });
    const yearSel = el("select", { "aria-label": "年" });
    const monthSel = el("select", { "aria-label": "月" });
    for (let yy = today.getFullYear() - 10; yy <= today.getFullYear() + 1; yy++) yearSel.append(el("option", { value: yy }, yy));
    for (let mm = 1; mm <= 12; mm++) monthSel.append(el("option", { value: mm }, mm + "月"));
    const grid = el("div", { class: "laydate-grid" });

    function set(value) {
      input.value = value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }
    function ensureYear() {
      if (!Array.from(yearSel.options).some((o) => +o.value === y)) yearSel.append(el("option", { value: y }, y));
    }
    function draw() {
      ensureYear();
      yearSel.value = String(y);
      monthSel.value = String(m);
      grid.replaceChildren();
      "日一二三四五六".split("").forEach((w) => grid.append(el("span", { class: "wd", "aria-hidden": "true" }, w)));
      const first = new Date(y, m - 1, 1).getDay();
      for (let i = 0; i < first; i++) grid.append(el("span", { "aria-hidden": "true" }));
      const days = new Date(y, m, 0).getDate();
      for (let d = 1; d <= days; d++) {
        const value = fmt(y, m, d);
        const classes = [];
        if (value === input.value) classes.push("selected");
        if (value === fmt(today.getFullYear(), today.getMonth() + 1, today.getDate())) classes.push("today");
        grid.append(el("button", { type: "button", class: classes.join(" "), onclick: () => set(value) }, d));
      }
    }
    function shift(delta) {
      m += delta;
      if (m < 1) { m = 12; y -= 1; }
      if (m > 12) { m = 1; y += 1; }
      draw();
    }
    yearSel.addEventListener("change", () => { y = +yearSel.value; draw(); });
    monthSel.addEventListener("change", () => { m = +monthSel.value; draw(); });
    box.append(
      el("div", { class: "laydate-head" },
        el("button", { type: "button", "aria-label": "上一月", onclick: () => shift(-1) }, "‹"),
        yearSel, monthSel,
        el("button", { type: "button", "aria-label": "下一月", onclick: () => shift(1) }, "›")),
      grid,
      el("div", { class: "laydate-foot" },
        el("button", { type: "button", onclick: () => set("") }, "清空"),
        el("button", { type: "button", onclick: () => set(fmt(today.getFullYear(), today.getMonth() + 1, today.getDate())) }, "今天")));
    draw();
    const r = input.getBoundingClientRect();
    box.style.left = Math.max(0, Math.min(r.left + window.scrollX, document.documentElement.clientWidth - 290)) + "px";
    box.style.top = (r.bottom + window.scrollY + 2) + "px";
    document.body.append(box);
    current = { box: box, input: input };
  }

  document.addEventListener("click", (ev) => {
    const input = ev.target.closest && ev.target.closest("input[data-datepicker]");
    if (input) {
      if (!current || current.input !== input) open(input);
      return;
    }
    if (current && !current.box.contains(ev.target) && ev.target.isConnected) close();
  });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") close(); });
})();
