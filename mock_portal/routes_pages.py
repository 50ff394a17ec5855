"""HTML pages: CAS login and captcha, portal home, 原产地 apps, the application shell and its tab pages."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mock_portal import captcha, menu, seed
from mock_portal.auth import check_password
from mock_portal.rules import STATUSES
from mock_portal.web import check_csrf, render, require_user, session_of, set_cookie, state

router = APIRouter()

STANDARD_APPS: tuple[tuple[str, str], ...] = (
    ("货物申报", "cargo"),
    ("舱单申报", "manifest"),
    ("运输工具", "transport"),
    ("原产地", "origin"),
    ("许可证件", "license"),
    ("企业资质", "qualification"),
    ("税费办理", "tax"),
    ("出口退税", "rebate"),
    ("加工贸易", "processing"),
    ("查询统计", "statistics"),
)
ORIGIN_APPS: tuple[tuple[str, str], ...] = (
    ("海关原产地证书", "/origin/index"),
    ("原产地企业备案", "/portal/apps/origin-filing"),
    ("原产地自助打印", "/portal/apps/origin-print"),
    ("优惠原产地声明", "/portal/apps/origin-statement"),
)
MENU_PAGES: dict[str, str] = {"apply": "原产地证书申请", "print": "证书查询打印"}
AUTHORITIES: dict[str, str] = {seed.CUSTOMS: "海关原产地证书", seed.CCPIT: "贸促会原产地证书"}
LOGIN_ERRORS = {"captcha": "验证码错误，请重新输入", "password": "用户名或密码错误"}


def _login_page(request: Request, message: str | None = None, info: str | None = None) -> HTMLResponse:
    portal = state(request)
    session = session_of(request) or portal.sessions.create()
    portal.sessions.set_captcha(session, captcha.new_answer())
    response = render(request, "login.html", session, message=message, info=info)
    set_cookie(response, session)
    return response


@router.get("/")
def index() -> RedirectResponse:
    return RedirectResponse("/portal", status_code=302)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/cas/login", response_class=HTMLResponse)
def login_form(request: Request, expired: int = 0) -> Response:
    session = session_of(request)
    settings = state(request).settings
    if session and session.username and not session.expired(settings.session_lifetime) and not expired:
        return RedirectResponse("/portal", status_code=302)
    return _login_page(request, info="登录已超时，请重新登录" if expired else None)


@router.post("/cas/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    captcha_code: str = Form("", alias="captcha"),
    csrf_token: str = Form(""),
) -> Response:
    portal = state(request)
    session = session_of(request)
    check_csrf(session, csrf_token)
    assert session is not None
    expected, session.captcha = session.captcha, None  # single use
    if not expected or captcha_code.strip().lower() != expected.lower():
        return _login_page(request, LOGIN_ERRORS["captcha"])
    account = portal.db.account(username.strip())
    if account is None or not check_password(password, account["salt"], account["password_hash"]):
        return _login_page(request, LOGIN_ERRORS["password"])
    fresh = portal.sessions.login(session, account["username"])
    response = RedirectResponse("/portal", status_code=302)
    set_cookie(response, fresh)
    return response


@router.get("/cas/captcha")
def captcha_image(request: Request, refresh: int = 0) -> Response:
    portal = state(request)
    session = session_of(request) or portal.sessions.create()
    if refresh or not session.captcha:
        portal.sessions.set_captcha(session, captcha.new_answer())
    response = Response(captcha.render(session.captcha or ""), media_type="image/png")
    set_cookie(response, session)
    return response


@router.get("/cas/logout")
def logout(request: Request) -> RedirectResponse:
    session = session_of(request)
    if session:
        state(request).sessions.drop(session.sid)
    return RedirectResponse("/cas/login", status_code=302)


@router.get("/portal", response_class=HTMLResponse)
def portal_home(request: Request) -> HTMLResponse:
    session = require_user(request)
    return render(request, "portal.html", session, apps=STANDARD_APPS, notice=state(request).settings.notice)


@router.get("/portal/apps/origin", response_class=HTMLResponse)
def origin_apps(request: Request) -> HTMLResponse:
    session = require_user(request)
    return render(request, "origin_apps.html", session, apps=ORIGIN_APPS)


@router.get("/portal/apps/{name}", response_class=HTMLResponse)
def other_app(request: Request, name: str) -> HTMLResponse:
    session = require_user(request)
    return render(request, "placeholder.html", session, title="功能建设中", standalone=True)


@router.get("/origin/index", response_class=HTMLResponse)
def origin_shell(request: Request) -> HTMLResponse:
    session = require_user(request)
    notice = state(request).settings.notice and not session.origin_notice_shown
    session.origin_notice_shown = True
    page = render(request, "shell.html", session, notice=notice, menu_pages=MENU_PAGES)
    return menu.rename_links(page, state(request).settings.rename_menu)


@router.get("/origin/home", response_class=HTMLResponse)
def origin_home(request: Request) -> HTMLResponse:
    session = require_user(request)
    return render(request, "home.html", session)


@router.get("/origin/page/{menu_id}", response_class=HTMLResponse)
def origin_other_page(request: Request, menu_id: str) -> HTMLResponse:
    session = require_user(request)
    if menu_id not in MENU_PAGES:
        raise HTTPException(status_code=404)
    return render(request, "placeholder.html", session, title=MENU_PAGES[menu_id], standalone=False)


@router.get("/origin/supplement/entry", response_class=HTMLResponse)
def supplement_entry(request: Request) -> HTMLResponse:
    session = require_user(request)
    return render(request, "entry.html", session, authorities=AUTHORITIES)


@router.get("/origin/supplement/search", response_class=HTMLResponse)
def supplement_search(request: Request, authority: str = "") -> HTMLResponse:
    session = require_user(request)
    if authority not in AUTHORITIES:
        raise HTTPException(status_code=404)
    kinds = [name for name, _ in seed.CUSTOMS_KINDS.values()] if authority == seed.CUSTOMS else list(seed.CCPIT_KINDS)
    return render(
        request, "search.html", session, authority=authority, title=AUTHORITIES[authority] + "补录", kinds=kinds
    )


@router.get("/origin/supplement/records", response_class=HTMLResponse)
def supplement_records(request: Request) -> HTMLResponse:
    session = require_user(request)
    return render(request, "records.html", session, statuses=STATUSES)


@router.get("/origin/supplement/records/{record_id}", response_class=HTMLResponse)
def supplement_record(request: Request, record_id: int) -> HTMLResponse:
    session = require_user(request)
    portal = state(request)
    record = portal.db.submission(session.username or "", record_id, portal.settings.receipt_delay)
    if record is None:
        raise HTTPException(status_code=404)
    return render(request, "record.html", session, record=record)
