/* Shared front-end helpers: DOM builder (textContent only), guarded JSON POST, paged tables, notice. */
(function () {
  "use strict";

  function meta(name) {
    const m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.content : "";
  }

  /* el("td", {class: "x"}, "text", childNode): never parses HTML. */
  function el(tag, attrs, ...children) {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) return;
      if (k === "class") n.className = v;
      else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? "" : String(v));
    });
    children.forEach((c) => {
      if (c === null || c === undefined) return;
      n.append(c instanceof Node ? c : document.createTextNode(String(c)));
    });
    return n;
  }

  /* Like the real portal: a short notice, then the whole window (not just this iframe) goes to login. */
  function toLogin() {
    window.layer.msg("登录已超时，请重新登录", { role: "alert" });
    setTimeout(() => { window.top.location.href = "/cas/login?expired=1"; }, 300);
  }

  /* POSTs JSON with the CSRF header. Returns the envelope, or null after handling trouble itself. */
  async function postJSON(url, body) {
    let resp;
    try {
      resp = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": meta("csrf-token") },
        body: JSON.stringify(body),
      });
    } catch (e) {
      window.layer.msg("网络异常，请稍后重试", { role: "alert" });
      return null;
    }
    if (resp.redirected && resp.url.includes("/cas/login")) {
      toLogin();
      return null;
    }
    if (resp.status >= 500) {
      window.layer.msg("系统繁忙，请稍后重试", { role: "alert" });
      return null;
    }
    try {
      return await resp.json();
    } catch (e) {
      window.layer.msg(resp.status === 403 ? "页面已失效，请刷新后重试" : "系统繁忙，请稍后重试", { role: "alert" });
      return null;
    }
  }

  /* A paged table fed by an envelope endpoint; stale answers (older requests) are ignored. */
  function makeQuery(opts) {
    const table = opts.table;
    const tbody = table.tBodies[0];
    const pager = opts.pager;
    const columns = table.tHead.rows[0].cells.length;
    let seq = 0;
    let state = { page: 1, size: 10, total: 0 };
    // What a person sees while a query runs (the robot waits for it to go, like a person would).
    const loading = el("span", { class: "loading" }, "");
    pager.prepend(loading);

    function renderPager() {
      const pages = Math.max(1, Math.ceil(state.total / state.size));
      pager.querySelector("[data-total]").textContent = "共 " + state.total + " 条";
      pager.querySelector("[data-pages]").textContent = "第 " + state.page + " / " + pages + " 页";
      pager.querySelector("[data-prev]").disabled = state.page <= 1;
      pager.querySelector("[data-next]").disabled = state.page >= pages;
    }

    function empty() {
      tbody.replaceChildren(el("tr", {}, el("td", { class: "empty", colspan: columns }, "没有查询到数据")));
    }

    async function run(page) {
      const mine = ++seq;
      table.setAttribute("aria-busy", "true");
      loading.textContent = "加载中…";
      const body = Object.assign(opts.collect(), { page: page, size: state.size });
      const answer = await postJSON(opts.url, body);
      if (mine !== seq) return;
      table.setAttribute("aria-busy", "false");
      loading.textContent = "";
      if (!answer) return;
      if (answer.errCode === "100") {
        const data = answer.data;
        state = { page: data.page, size: data.size, total: data.total };
        const start = (data.page - 1) * data.size;
        tbody.replaceChildren(...data.rows.map((row, i) => opts.row(row, start + i + 1)));
      } else if (answer.errCode === "101") {
        state = { page: 1, size: state.size, total: 0 };
        empty();
      } else {
        window.layer.msg(answer.errMsg || "查询失败", { role: "alert" });
        return;
      }
      renderPager();
    }

    pager.querySelector("[data-prev]").addEventListener("click", () => run(Math.max(1, state.page - 1)));
    pager.querySelector("[data-next]").addEventListener("click", () => run(state.page + 1));
    return { run: run, current: () => state.page };
  }

  document.addEventListener("click", (ev) => {
    if (!ev.target.closest("[data-close-notice]")) return;
    document.querySelectorAll("[data-notice], [data-notice-shade]").forEach((n) => n.remove());
  });

  window.Portal = {
    meta: meta,
    el: el,
    toLogin: toLogin,
    postJSON: postJSON,
    makeQuery: makeQuery,
    dialogFailRate: parseFloat(meta("dialog-fail-rate")) || 0,
  };
})();
