// corobot console: live status (short polling), the captcha banner, drag-and-drop uploads. No library.
"use strict";
const csrf = document.querySelector('meta[name="csrf"]').content;
const page = document.body.dataset.page;
const $ = (id) => document.getElementById(id);

function text(id, value) { const el = $(id); if (el) el.textContent = value; }
function duration(s) {
  if (s === null || s === undefined) return "-";
  const m = Math.floor(s / 60), r = s % 60;
  return m ? `${m} 分 ${r} 秒` : `${r} 秒`;
}
function list(id, items, empty) {
  const ul = $(id); if (!ul) return;
  ul.replaceChildren(...(items.length ? items : [empty]).map((t) => { const li = document.createElement("li"); li.textContent = t; return li; }));
}

function banner(status) {
  const box = $("captcha-banner");
  if (!status.captcha) { box.hidden = true; $("captcha-id").value = ""; return; }
  if ($("captcha-id").value !== status.captcha.id) {
    $("captcha-id").value = status.captcha.id;
    $("captcha-img").src = "/captcha.png?id=" + encodeURIComponent(status.captcha.id);
    box.querySelector('input[name="answer"]').value = "";
  }
  text("captcha-left", `剩余 ${status.captcha.seconds_left} 秒`);
  box.hidden = false;
}

function running(status) {
  const job = status.job, live = status.live;
  text("job", job ? `正在处理：${job.title}（${job.who}，${job.started} 开始）` : "当前没有运行" + (status.next_look ? `；下次查看收件箱 ${status.next_look}` : ""));
  text("done", live ? live.done : "-"); text("failed", live ? live.failed : "-");
  text("left", live ? live.left : "-"); text("total", live ? live.total : "-");
  text("elapsed", job ? duration(job.elapsed_s) : "-"); text("eta", live ? duration(live.eta_s) : "-");
  text("current", live && live.current.length ? live.current.join("，") : "-");
  const bar = $("bar"); bar.max = live ? Math.max(1, live.total) : 1; bar.value = live ? live.done : 0;
  $("paused").hidden = !status.paused;
  $("captcha-message").hidden = !status.captcha_message; text("captcha-message", status.captcha_message);
  $("stop").disabled = !(job && job.stoppable);
  list("queue", status.queue, "（空）");
  list("recent", status.recent.map((j) => `${j.finished} ${j.title}（${j.who}）退出码 ${j.exit_code}`), "（无）");
  text("log", status.log.join("\n"));
}

async function poll() {
  try {
    const answer = await fetch("/api/status", { headers: { Accept: "application/json" } });
    if (answer.status === 401) { location.href = "/login"; return; }
    const status = await answer.json();
    banner(status);
    if (page === "/running") running(status);
  } catch (e) { /* the service may be restarting: try again at the next tick */ }
  setTimeout(poll, page === "/running" ? 1000 : 2000);
}

async function upload(files) {
  const checks = $("checks");
  for (const file of files) {
    const note = document.createElement("article");
    note.className = "check"; note.textContent = `${file.name}：上传并检查中…`;
    checks.prepend(note);
    try {
      const answer = await fetch("/api/upload", { method: "POST", body: file,
        headers: { "X-CSRF-Token": csrf, "X-File-Name": encodeURIComponent(file.name), "Content-Type": "application/octet-stream" } });
      const html = await answer.text();
      const holder = document.createElement("div"); holder.innerHTML = html;
      note.replaceWith(...holder.childNodes);
    } catch (e) { note.textContent = `${file.name}：上传失败（${e}）`; note.classList.add("refused"); }
  }
}

function dropZone() {
  const zone = $("drop"); if (!zone) return;
  $("pick").addEventListener("change", (e) => { upload([...e.target.files]); e.target.value = ""; });
  for (const kind of ["dragenter", "dragover"]) zone.addEventListener(kind, (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); upload([...e.dataTransfer.files]); });
}

dropZone();
poll();
