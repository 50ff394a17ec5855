/* Application shell: left menu (expandable groups), one tab + iframe per opened page. */
(function () {
  "use strict";
  const el = window.Portal.el;
  const tabBar = document.querySelector('[role="tablist"]');
  const panels = document.getElementById("tab-panels");
  const tabs = new Map();

  function activate(id) {
    tabs.forEach((t, key) => {
      const on = key === id;
      t.tab.setAttribute("aria-selected", on ? "true" : "false");
      t.panel.hidden = !on;
    });
    document.querySelectorAll(".side-menu a[data-menu-id]").forEach((a) => {
      a.classList.toggle("active", a.dataset.menuId === id);
    });
  }

  function closeTab(id) {
    const t = tabs.get(id);
    if (!t) return;
    const wasActive = t.tab.getAttribute("aria-selected") === "true";
    t.tab.remove();
    t.panel.remove();
    tabs.delete(id);
    if (wasActive) activate(Array.from(tabs.keys()).pop());
  }

  function openTab(id, title, url, closable) {
    if (!tabs.has(id)) {
      const tab = el("div", { role: "tab", id: "tab-" + id, "aria-controls": "panel-" + id, tabindex: "0" }, title);
      if (closable) {
        tab.append(el("span", {
          class: "tab-close", "aria-hidden": "true",
          onclick: (ev) => { ev.stopPropagation(); closeTab(id); },
        }, "×"));
      }
      tab.addEventListener("click", () => activate(id));
      const panel = el("div", { role: "tabpanel", id: "panel-" + id, "aria-labelledby": "tab-" + id, hidden: true },
        el("iframe", { title: title, src: url }));
      tabBar.append(tab);
      panels.append(panel);
      tabs.set(id, { tab: tab, panel: panel });
    }
    activate(id);
  }

  document.querySelectorAll(".side-menu .menu-parent").forEach((parent) => {
    parent.addEventListener("click", (ev) => {
      ev.preventDefault();
      const list = document.getElementById(parent.getAttribute("aria-controls"));
      const expand = parent.getAttribute("aria-expanded") !== "true";
      parent.setAttribute("aria-expanded", expand ? "true" : "false");
      list.hidden = !expand;
    });
  });
  document.querySelectorAll(".side-menu a[data-menu-id]").forEach((link) => {
    link.addEventListener("click", (ev) => {
      ev.preventDefault();
      openTab(link.dataset.menuId, link.textContent.trim(), link.dataset.url, true);
    });
  });
  openTab("home", "首页", "/origin/home", false);
})();
