/* A tiny layui-like `layer`: modal dialogs (.layui-layer with title, content, .layui-layer-btnN) and toasts. */
(function () {
  "use strict";
  let seq = 0;
  const opened = new Map();
  let msgNode = null;
  let msgTimer = 0;

  function node(tag, attrs, text) {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => n.setAttribute(k, v));
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function close(index) {
    const entry = opened.get(index);
    if (!entry) return;
    entry.nodes.forEach((n) => n.remove());
    opened.delete(index);
    if (entry.end) entry.end();
  }

  function open(o) {
    const index = ++seq;
    const shade = node("div", { class: "layui-layer-shade" });
    const box = node("div", {
      class: "layui-layer", role: "dialog", "aria-modal": "true", "aria-label": o.label || o.title,
      "data-index": String(index),
    });
    box.append(node("div", { class: "layui-layer-title" }, o.title));
    if (o.closeBtn !== false) {
      const x = node("button", { type: "button", class: "layui-layer-setwin", "aria-label": "关闭" }, "×");
      x.addEventListener("click", () => {
        if (!o.cancel || o.cancel(index, box) !== false) close(index);
      });
      box.append(x);
    }
    const content = node("div", { class: "layui-layer-content" });
    if (o.iframe) {
      content.append(node("iframe", { src: o.iframe, title: o.iframeTitle || o.title }));
    } else if (o.content) {
      content.append(o.content);
    }
    if (o.area) {
      box.style.width = o.area[0];
      if (o.area[1]) content.style.height = o.area[1];
    }
    box.append(content);
    if (o.btn && o.btn.length) {
      const bar = node("div", { class: "layui-layer-btn" });
      o.btn.forEach((text, i) => {
        const b = node("button", { type: "button", class: "layui-layer-btn" + i }, text);
        b.addEventListener("click", () => {
          const cb = i === 0 ? o.yes : o["btn" + (i + 1)];
          if (i === 0 && cb) { cb(index, box); return; }
          if (cb && cb(index, box) === false) return;
          close(index);
        });
        bar.append(b);
      });
      box.append(bar);
    }
    document.body.append(shade, box);
    opened.set(index, { nodes: [shade, box], end: o.end });
    if (o.success) o.success(box, index);
    return index;
  }

  function closeAll() {
    Array.from(opened.keys()).forEach(close);
  }

  /* A toast; role "status" for information, "alert" for trouble. Replaces the previous toast. */
  function msg(text, opts) {
    const options = opts || {};
    if (msgNode) msgNode.remove();
    clearTimeout(msgTimer);
    const role = options.role || "status";
    msgNode = node("div", { class: "layui-layer-msg" + (role === "alert" ? " msg-error" : ""), role: role }, text);
    document.body.append(msgNode);
    const current = msgNode;
    msgTimer = setTimeout(() => { current.remove(); if (msgNode === current) msgNode = null; }, options.time || 3000);
  }

  window.layer = { open, close, closeAll, msg };
})();
