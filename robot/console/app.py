"""The console's web application (FastAPI + Jinja2), put together from one router per area: login
(`routes_auth`), pages (`routes_pages`), live status, stop and captcha (`routes_live`), uploads
(`routes_uploads`) and downloads (`routes_downloads`). They find what they share in `app.state.console`
(`robot.console.state`).

Every page, API and download needs a logged-in session (`NeedLogin` → the login page, or 401 for the
API and downloads); every POST needs the session's CSRF token (403 otherwise). Requests with a Host
header not among the console's names are refused (`robot.console.hosts`). Responses carry a strict
Content-Security-Policy (scripts and styles only from /static), no framing and no caching; over HTTPS
also Strict-Transport-Security.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from robot.console import routes_auth, routes_downloads, routes_hosts, routes_live, routes_pages, routes_uploads
from robot.console.auth import LoginLimit, Sessions
from robot.console.hosts import HostCheck, allowed_hosts
from robot.console.state import HERE, BadToken, Console, NeedLogin, Worklist
from robot.console.users import Users
from robot.core.config import Settings
from robot.ops.service import RobotService

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
HSTS = {"Strict-Transport-Security": "max-age=31536000"}
ROUTERS = (routes_auth, routes_pages, routes_live, routes_uploads, routes_downloads, routes_hosts)


def create_app(
    settings: Settings,
    service: RobotService,
    users: Users,
    worklist: Worklist,
    host: str = "127.0.0.1",
    secure: bool = False,
) -> FastAPI:
    """The console for `service`; `host` is the address served (a name it answers to), `secure` = HTTPS."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = Console(
        settings,
        service,
        users,
        worklist,
        Sessions(max_age_s=settings.console_session_max_hours * 3600),
        LoginLimit(),
        secure=secure,
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    headers = {**HEADERS, **(HSTS if secure else {})}

    @app.middleware("http")
    async def secure_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        for key, value in headers.items():
            response.headers.setdefault(key, value)
        return response

    app.add_middleware(HostCheck, names=allowed_hosts(host, settings.console_hosts))
    app.add_exception_handler(NeedLogin, _need_login)
    app.add_exception_handler(BadToken, _bad_token)
    for routes in ROUTERS:
        app.include_router(routes.router)
    return app


async def _need_login(request: Request, _: Exception) -> Response:
    if request.method == "GET" and not request.url.path.startswith(("/api/", "/download/", "/captcha")):
        return RedirectResponse("/login", status_code=303)
    return JSONResponse({"error": "请先登录"}, status_code=401)


async def _bad_token(request: Request, _: Exception) -> Response:
    return JSONResponse({"error": "请求缺少有效的 CSRF 令牌，已拒绝（请刷新页面后重试）"}, status_code=403)
