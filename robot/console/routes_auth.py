"""The console's login and logout (rules in `robot.console.auth`). The client address the limits count is
the connection's, or the one a trusted proxy forwarded (`corobot serve --proxy`)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from loguru import logger
from starlette.concurrency import run_in_threadpool

from robot.console.auth import LOGIN_COOKIE, SESSION_COOKIE, Attempt, Session, same_token
from robot.console.state import BadToken, console_of, posted

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, message: str = "") -> Response:
    console = console_of(request)
    return login_form(request, message, 200, no_accounts=not console.users.names())


@router.post("/login")
async def login(request: Request) -> Response:
    console = console_of(request)
    form = await request.form()
    if not same_token(str(form.get("csrf") or ""), request.cookies.get(LOGIN_COOKIE)):
        raise BadToken()
    name = str(form.get("username") or "").strip()[:100]
    password = str(form.get("password") or "")
    address = request.client.host if request.client else "?"
    attempt = console.limit.attempt(name, address)  # counted as a failure until it succeeds
    if not isinstance(attempt, Attempt):
        logger.warning("控制台登录被推迟：账号 {!r}，地址 {}，{} 秒后可再试", name, address, attempt)
        return login_form(request, f"登录失败次数过多，请 {_wait_text(attempt)}后再试", 429)
    if not await run_in_threadpool(console.users.check, name, password):
        logger.warning("控制台登录失败：账号 {!r}，地址 {}", name, address)
        return login_form(request, "账号或密码不正确", 401)
    console.limit.succeeded(attempt, name, address)
    session = console.sessions.create(name)
    logger.info("控制台登录：{}，地址 {}", name, address)
    response = RedirectResponse("/running", status_code=303)
    console.set_cookie(request, response, SESSION_COOKIE, session.token, "/")
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, session: Session = Depends(posted)) -> Response:
    console_of(request).sessions.drop(session.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def login_form(request: Request, message: str, code: int, no_accounts: bool = False) -> Response:
    console = console_of(request)
    token = secrets.token_urlsafe(24)
    response = console.templates.TemplateResponse(
        request, "login.html", {"csrf": token, "message": message, "no_accounts": no_accounts}, status_code=code
    )
    console.set_cookie(request, response, LOGIN_COOKIE, token, "/login")
    return response


def _wait_text(seconds: int) -> str:
    return f"{seconds} 秒" if seconds < 120 else f"{seconds // 60} 分钟"
