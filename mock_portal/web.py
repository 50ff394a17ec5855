"""Request helpers shared by the routers: app state, sessions, login and CSRF guards, envelopes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from mock_portal.auth import COOKIE, Session, SessionStore
from mock_portal.db import Database
from mock_portal.settings import Settings
from mock_portal.variants import Variant

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@dataclass
class PortalState:
    """Everything a request handler needs, kept on `app.state.portal`."""

    settings: Settings
    db: Database
    sessions: SessionStore
    submits: int = 0
    variant: Variant = field(default_factory=Variant)

    def add_submission(self, username: str, cert_id: int, exported: bool, numbers: list[str]) -> int:
        """Stores one 补录 (both front ends); every `expire_after_submits`-th expires all sessions."""
        record_id = self.db.add_submission(username, cert_id, exported, numbers)
        self.submits += 1
        every = self.settings.expire_after_submits
        if every and self.submits % every == 0:
            self.sessions.revoke_all()
        return record_id


class LoginRequired(Exception):
    """Raised by guards; answered with a 302 to the login page (for pages and XHR alike)."""

    def __init__(self, expired: bool) -> None:
        super().__init__("login required")
        self.expired = expired


def state(request: Request) -> PortalState:
    return request.app.state.portal


def session_of(request: Request) -> Session | None:
    return state(request).sessions.get(request.cookies.get(COOKIE))


def require_user(request: Request) -> Session:
    """The logged-in, unexpired session; otherwise LoginRequired."""
    portal = state(request)
    session = session_of(request)
    if session is None or not session.username:
        raise LoginRequired(expired=False)
    if session.expired(portal.settings.session_lifetime):
        portal.sessions.drop(session.sid)
        raise LoginRequired(expired=True)
    return session


def check_csrf(session: Session | None, token: str | None) -> None:
    if session is None or not session.csrf_ok(token):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")


def login_redirect(expired: bool) -> RedirectResponse:
    return RedirectResponse("/cas/login?expired=1" if expired else "/cas/login", status_code=302)


def is_xhr(request: Request) -> bool:
    """A script's request (jQuery marks its own), as opposed to a page load."""
    return request.headers.get("x-requested-with", "").lower() == "xmlhttprequest"


def session_timeout(expired: bool) -> JSONResponse:
    """How the layui front end's XHR endpoints answer without a valid login (HTTP 200, errCode -1/401)."""
    return JSONResponse(
        {"errCode": "-1" if expired else "401", "errMsg": "登录已超时，请重新登录", "rows": [], "total": 0}
    )


def set_cookie(response: Response, session: Session) -> None:
    response.set_cookie(COOKIE, session.sid, httponly=True, samesite="lax", path="/")


def render(request: Request, name: str, session: Session | None, **context: Any) -> HTMLResponse:
    """A template with the CSRF token, the logged-in enterprise and the chaos knobs pages need."""
    portal = state(request)
    account = portal.db.account(session.username) if session and session.username else None
    context.update(
        csrf=session.csrf if session else "",
        account=account,
        dialog_fail_rate=portal.settings.dialog_fail_rate,
        v=portal.variant,
        broken=portal.settings.break_page,
        variant_json=json.dumps(portal.variant.for_script(), ensure_ascii=False),
    )
    return TEMPLATES.TemplateResponse(request, name, context)


def envelope(data: Any = None, code: str = "100", message: str = "成功", status: int = 200) -> JSONResponse:
    return JSONResponse({"errCode": code, "errMsg": message, "data": data}, status_code=status)


def no_data() -> JSONResponse:
    return envelope(None, "101", "没有查询到数据")


def invalid(message: str, status: int = 200) -> JSONResponse:
    return envelope(None, "102", message, status)
