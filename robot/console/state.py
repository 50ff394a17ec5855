"""What every router of the console shares: the `Console` (kept in `app.state.console`) and the
dependencies that find it, the logged-in session (`user`, `polling`) and a POST's CSRF check (`posted`),
and `page()`, which renders a page with the menu and the captcha banner."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from robot.console.auth import SESSION_COOKIE, LoginLimit, Session, Sessions, same_token
from robot.console.users import Users
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.model import Authority
from robot.engine.captcha_desk import DESK
from robot.ops.host import shared
from robot.ops.service import RobotService

HERE = Path(__file__).parent
Worklist = Callable[[Path, Authority | None, date | None, date | None], ExitCode]
PAGES = (
    ("/upload", "上传"),
    ("/running", "运行中"),
    ("/history", "历史"),
    ("/pending", "待回执"),
    ("/template", "模板与待补录清单"),
    ("/settings", "设置"),
    ("/hosts", "主机"),
)
SHARED_ONLY = {"/hosts"}
"""Pages shown only with a shared PostgreSQL (several hosts)."""


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
    secure: bool = False
    """Served over HTTPS: cookies are Secure."""
    templates: Jinja2Templates = field(default_factory=lambda: Jinja2Templates(directory=str(HERE / "templates")))
    receiving: dict[str, int] = field(default_factory=dict)
    """Uploads of each user still streaming in (they count towards the pending limit)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def outputs(self) -> Path:
        return self.service.outputs

    def roots(self) -> list[Path]:
        roots = [self.service.inbox.root, self.outputs]
        if self.settings.out_dir:
            roots.append(Path(self.settings.out_dir))
        return roots

    def set_cookie(self, request: Request, response: Response, name: str, value: str, path: str) -> None:
        """An HttpOnly, SameSite=Strict cookie; Secure over HTTPS (served, or said by a trusted --proxy)."""
        secure = self.secure or request.url.scheme == "https"
        response.set_cookie(name, value, httponly=True, samesite="strict", path=path, secure=secure)


def console_of(request: Request) -> Console:
    return request.app.state.console  # type: ignore[no-any-return]


def user(request: Request) -> Session:
    session = console_of(request).sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise NeedLogin()
    return session


def polling(request: Request) -> Session:
    """A logged-in session, without counting the request as activity (status polling, captcha image)."""
    session = console_of(request).sessions.get(request.cookies.get(SESSION_COOKIE), touch=False)
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
    return console_of(request).templates.TemplateResponse(
        request,
        name,
        {
            "user": session.user,
            "csrf": session.csrf,
            "pages": [p for p in PAGES if p[0] not in SHARED_ONLY or shared(console_of(request).settings)],
            "path": request.url.path,
            "prompt": DESK.pending(),
            **context,
        },
    )
