"""The console's web application (FastAPI + Jinja2): pages, the status API, uploads, downloads, login.

Every page, API and download needs a logged-in session (`NeedLogin` → the login page, or 401 for the
API and downloads); every POST needs the session's CSRF token (403 otherwise). Responses carry a strict
Content-Security-Policy (scripts and styles only from /static), no framing and no caching.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from robot.books.template import write_template
from robot.console import views
from robot.console.auth import LOGIN_COOKIE, SESSION_COOKIE, LoginLimit, Session, Sessions, same_token
from robot.console.downloads import inside, plain_name, zip_folder
from robot.console.uploads import MIB, Refused, receive, upload_name
from robot.console.users import Users
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.live import LIVE
from robot.core.model import Authority
from robot.engine.captcha_desk import DESK
from robot.ops.service import RobotService

HERE = Path(__file__).parent
Worklist = Callable[[Path, Authority | None, date | None, date | None], ExitCode]
PAGES = (("/upload", "上传"), ("/running", "运行中"), ("/history", "历史"), ("/pending", "待回执"),
         ("/template", "模板与待补录清单"), ("/settings", "设置"))
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class NeedLogin(Exception):
    pass


class BadToken(Exception):
    pass


@dataclass
class Console:
    settings: Settings
    service: RobotService
    users: Users
    worklist: Worklist
    sessions: Sessions
    limit: LoginLimit

    @property
    def outputs(self) -> Path:
        return self.service.outputs

    def roots(self) -> list[Path]:
        roots = [self.service.inbox.root, self.outputs]
        if self.settings.out_dir:
            roots.append(Path(self.settings.out_dir))
        return roots


def create_app(settings: Settings, service: RobotService, users: Users, worklist: Worklist) -> FastAPI:  # noqa: C901
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console = Console(settings, service, users, worklist, Sessions(), LoginLimit())
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def secure_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(NeedLogin)
    async def need_login(request: Request, _: NeedLogin) -> Response:
        if request.method == "GET" and not request.url.path.startswith(("/api/", "/download/", "/captcha")):
            return RedirectResponse("/login", status_code=303)
        return JSONResponse({"error": "请先登录"}, status_code=401)

    @app.exception_handler(BadToken)
    async def bad_token(request: Request, _: BadToken) -> Response:
        return JSONResponse({"error": "请求缺少有效的 CSRF 令牌，已拒绝（请刷新页面后重试）"}, status_code=403)

    def user(request: Request) -> Session:
        session = console.sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is None:
            raise NeedLogin()
        return session

    def polling(request: Request) -> Session:
        """A logged-in session, without counting the request as activity (status polling, captcha image)."""
        session = console.sessions.get(request.cookies.get(SESSION_COOKIE), touch=False)
        if session is None:
            raise NeedLogin()
        return session

    async def posted(request: Request, session: Session = Depends(user)) -> Session:
        token = request.headers.get("x-csrf-token")
        if token is None and "form" in request.headers.get("content-type", ""):
            token = str((await request.form()).get("csrf") or "")
        if not same_token(token, session.csrf):
            raise BadToken()
        return session

    def page(request: Request, name: str, session: Session, **context: Any) -> HTMLResponse:
        prompt = DESK.pending()
        return templates.TemplateResponse(request, name, {
            "user": session.user, "csrf": session.csrf, "pages": PAGES, "path": request.url.path,
            "prompt": prompt, **context})

    # -- login -----------------------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, message: str = "") -> Response:
        token = secrets.token_urlsafe(24)
        response = templates.TemplateResponse(request, "login.html", {
            "csrf": token, "message": message, "no_accounts": not users.names()})
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login")
        return response

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        if not same_token(str(form.get("csrf") or ""), request.cookies.get(LOGIN_COOKIE)):
            raise BadToken()
        name = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        client = request.client.host if request.client else "?"
        keys = (f"ip:{client}", f"user:{name}")
        wait = console.limit.attempt(*keys)  # counted as a failure until it succeeds
        if wait:
            return _login_again(templates, request, f"登录失败次数过多，请 {max(1, wait // 60)} 分钟后再试", 429)
        ok = await run_in_threadpool(users.check, name, password)
        if not ok:
            return _login_again(templates, request, "账号或密码不正确", 401)
        console.limit.succeeded(*keys)
        session = console.sessions.create(name)
        response = RedirectResponse("/running", status_code=303)
        response.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="strict", path="/")
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response

    @app.post("/logout")
    def logout(request: Request, session: Session = Depends(posted)) -> Response:
        console.sessions.drop(session.token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # -- pages -----------------------------------------------------------------------------------
    @app.get("/")
    def home(session: Session = Depends(user)) -> Response:
        return RedirectResponse("/running", status_code=303)

    @app.get("/upload", response_class=HTMLResponse)
    def upload_page(request: Request, session: Session = Depends(user)) -> Response:
        checks = service.user_uploads(session.user)
        return page(request, "upload.html", session, checks=checks[::-1],
                    limit_mb=f"{settings.console_upload_max_mb:g}")

    @app.get("/running", response_class=HTMLResponse)
    def running_page(request: Request, session: Session = Depends(user)) -> Response:
        return page(request, "running.html", session, status=status_of(console))

    @app.get("/history", response_class=HTMLResponse)
    def history_page(request: Request, session: Session = Depends(user)) -> Response:
        found = views.runs(settings, service.inbox.root)
        return page(request, "history.html", session, runs=found, reachable=lambda p: inside(p, console.roots()))

    @app.get("/history/{run_id}", response_class=HTMLResponse)
    def run_page(request: Request, run_id: int, session: Session = Depends(user)) -> Response:
        view = views.run(settings, service.inbox.root, run_id)
        report = inside(view.report, console.roots()) if view else None
        headers, rows, total = views.detail_rows(report) if report else ([], [], 0)
        return page(request, "run.html", session, view=view, headers=headers, rows=rows, total=total,
                    report=report)

    @app.get("/pending", response_class=HTMLResponse)
    def pending_page(request: Request, session: Session = Depends(user)) -> Response:
        files = [p for p in views.output_files(console.outputs) if p.name.startswith("对账")]
        return page(request, "pending.html", session, entries=views.awaiting(settings), files=files)

    @app.post("/pending/reconcile")
    def reconcile_now(session: Session = Depends(posted)) -> Response:
        service.enqueue_task("立即对账", session.user, lambda: service.reconcile(console.outputs))
        return RedirectResponse("/running", status_code=303)

    @app.get("/template", response_class=HTMLResponse)
    def template_page(request: Request, session: Session = Depends(user)) -> Response:
        files = [p for p in views.output_files(console.outputs) if p.name.startswith("待补录清单")]
        return page(request, "template.html", session, files=files, authorities=[a.value for a in Authority])

    @app.post("/worklist")
    async def worklist_now(request: Request, session: Session = Depends(posted)) -> Response:
        form = await request.form()
        try:
            start = _day(str(form.get("date_from") or ""))
            end = _day(str(form.get("date_to") or ""))
        except ValueError:
            return JSONResponse({"error": "日期格式应为 YYYY-MM-DD"}, status_code=400)
        which = Authority.parse(str(form.get("authority") or ""))
        out = console.outputs / f"待补录清单-{datetime.now():%Y%m%d-%H%M%S}.xlsx"
        title = f"待补录清单（{start or '不限'} 至 {end or '不限'}，{which.value if which else '全部签证机构'}）"
        service.enqueue_task(title, session.user, lambda: worklist(out, which, start, end))
        return RedirectResponse("/running", status_code=303)

    @app.get("/settings", response_class=HTMLResponse)
    def settings_page(request: Request, session: Session = Depends(user)) -> Response:
        return page(request, "settings.html", session, rows=views.settings_rows(settings))

    # -- live status, stop, captcha ----------------------------------------------------------------
    @app.get("/api/status")
    def status(session: Session = Depends(polling)) -> Response:
        return JSONResponse(status_of(console))

    @app.post("/stop")
    def stop(session: Session = Depends(posted)) -> Response:
        service.stop_current(session.user)
        return RedirectResponse("/running", status_code=303)

    @app.post("/resume")
    def resume(session: Session = Depends(posted)) -> Response:
        service.resume(session.user)
        return RedirectResponse("/running", status_code=303)

    @app.post("/look")
    def look(session: Session = Depends(posted)) -> Response:
        service.look_now(session.user)
        return RedirectResponse("/running", status_code=303)

    @app.get("/captcha.png")
    def captcha_png(id: str = "", session: Session = Depends(polling)) -> Response:
        prompt = DESK.pending()
        if prompt is None or prompt.id != id:
            return Response(status_code=404)
        return Response(prompt.png, media_type="image/png")

    @app.post("/captcha")
    async def captcha_answer(request: Request, session: Session = Depends(posted)) -> Response:
        form = await request.form()
        DESK.answer(str(form.get("id") or ""), str(form.get("answer") or "")[:20])
        back = str(form.get("back") or "/running")
        return RedirectResponse(back if back in dict(PAGES) else "/running", status_code=303)

    # -- uploads ---------------------------------------------------------------------------------
    @app.post("/api/upload", response_class=HTMLResponse)
    async def upload(request: Request, session: Session = Depends(posted)) -> Response:
        limit = int(settings.console_upload_max_mb * MIB)
        try:
            name = upload_name(request.headers.get("x-file-name"))
            received = await receive(request.stream(), request.headers.get("content-length"), service.staging, limit)
        except Refused as refusal:
            html = templates.get_template("_refused.html").render(
                name=unquote(request.headers.get("x-file-name", "")), reason=str(refusal))
            return HTMLResponse(html, status_code=refusal.status)
        check = await run_in_threadpool(service.check_upload, received, name, session.user)
        html = templates.get_template("_check.html").render(check=check, csrf=session.csrf)
        return HTMLResponse(html, status_code=200 if not check.refusal else 422)

    @app.post("/upload/{check_id}/confirm")
    def confirm(check_id: str, session: Session = Depends(posted)) -> Response:
        service.confirm_upload(check_id, session.user)
        return RedirectResponse("/running", status_code=303)

    @app.post("/upload/{check_id}/discard")
    def discard(check_id: str, session: Session = Depends(posted)) -> Response:
        service.discard_upload(check_id, session.user)
        return RedirectResponse("/upload", status_code=303)

    # -- downloads -------------------------------------------------------------------------------
    @app.get("/download/template")
    def template_download(session: Session = Depends(user)) -> Response:
        path = console.outputs / f".模板-{secrets.token_hex(4)}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_template(path)
        return FileResponse(path, filename="补录清单模板.xlsx", background=BackgroundTask(path.unlink))

    @app.get("/download/run/{run_id}/{kind}")
    def run_download(run_id: int, kind: str, session: Session = Depends(user)) -> Response:
        view = views.run(settings, service.inbox.root, run_id)
        if view is None or kind not in ("report", "log", "evidence"):
            return Response("找不到该文件", status_code=404)
        found = inside({"report": view.report, "log": view.log, "evidence": view.evidence}[kind], console.roots())
        if found is None:
            return Response("找不到该文件（不在机器人的输出目录中）", status_code=404)
        if found.is_dir():
            archive = zip_folder(found)
            return FileResponse(archive, filename=f"{found.name}.zip", background=BackgroundTask(archive.unlink))
        return FileResponse(found, filename=found.name)

    @app.get("/download/file/{name}")
    def file_download(name: str, session: Session = Depends(user)) -> Response:
        if not plain_name(name):
            return Response("文件名无效", status_code=400)
        found = inside(console.outputs / name, [console.outputs])
        if found is None or not found.is_file():
            return Response("找不到该文件", status_code=404)
        return FileResponse(found, filename=found.name)

    return app


def _login_again(templates: Jinja2Templates, request: Request, message: str, code: int) -> Response:
    token = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(request, "login.html", {"csrf": token, "message": message,
                                                                  "no_accounts": False}, status_code=code)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


def _day(text: str) -> date | None:
    text = text.strip()
    return date.fromisoformat(text) if text else None


def status_of(console: Console) -> dict[str, Any]:
    service = console.service
    job = service.current
    live = LIVE.snapshot()
    prompt = DESK.pending()
    out: dict[str, Any] = {
        "job": None, "paused": service.paused, "queue": [j.title for j in service.queued()],
        "log": list(service.log_tail)[-15:],
        "captcha": {"id": prompt.id, "seconds_left": prompt.seconds_left} if prompt else None,
        "captcha_message": DESK.last_message,
        "next_look": f"{service.next_look:%H:%M:%S}" if service.next_look else "",
        "recent": [{"title": j.title, "who": j.who, "exit_code": j.exit_code,
                    "finished": f"{j.finished_at:%m-%d %H:%M:%S}" if j.finished_at else ""}
                   for j in list(service.recent)],  # a copy: the worker thread adds to it
    }
    if job is not None:
        started = job.started_at or datetime.now()
        out["job"] = {"title": job.title, "who": job.who, "started": f"{started:%H:%M:%S}",
                      "elapsed_s": int((datetime.now() - started).total_seconds()),
                      "stoppable": job.kind in ("upload", "inbox")}
        if live.started is not None and live.ended is None:
            elapsed = time.monotonic() - live.started
            left = max(0, live.total - live.done)
            out["live"] = {"total": live.total, "done": live.done, "left": left,
                           "failed": live.counts.get("失败", 0), "counts": live.counts, "current": live.current,
                           "eta_s": int(elapsed / live.done * left) if live.done else None}
    return out
