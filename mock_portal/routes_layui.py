"""HTML pages of the layui front end (the default): front page, CAS login, portal home, 原产地 apps,
the layui admin shell of 海关原产地证书 and its tab pages and layer iframes.

Same data, rules, sessions and chaos knobs as the accessible front end (routes_pages.py); only the
markup differs: jQuery + Bootstrap 3 + bootstrap-table + layui 2, written the way standard-edition
apps are written (labels not tied to inputs, placeholders, links with icon glyphs, no ARIA).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mock_portal import captcha, menu, seed
from mock_portal import layui_forms as forms
from mock_portal import layui_lists as lists
from mock_portal import routes_layui_api as api
from mock_portal.auth import Session, check_password
from mock_portal.routes_api import cert_json, record_json
from mock_portal.routes_pages import AUTHORITIES, LOGIN_ERRORS, STANDARD_APPS, captcha_image, favicon
from mock_portal.rules import STATUSES
from mock_portal.web import check_csrf, render, require_user, session_of, set_cookie, state

router = APIRouter()
router.add_api_route("/favicon.ico", favicon, methods=["GET"])
router.add_api_route("/cas/captcha", captcha_image, methods=["GET"])

HOME = "/portal/index"
APP = "/swOrigin"
ORIGIN_APPS: tuple[tuple[str, str], ...] = (
    ("海关原产地证书", f"{APP}/index"),
    ("原产地企业备案", "/portal/app/origin-filing"),
    ("原产地自助打印", "/portal/app/origin-print"),
    ("优惠原产地声明", "/portal/app/origin-statement"),
)
MENU_PAGES: dict[str, str] = {"apply": "原产地证书申请", "print": "证书查询打印"}
SUPPLEMENT_MENU = "出口报关单补录"
SUPPLEMENT_PAGES: dict[str, tuple[str, str]] = {
    "supplement-entry": ("报关单号补录", f"{APP}/supplement/entry"),
    "supplement-records": ("补录信息查询", f"{APP}/supplement/records"),
}


def _page(request: Request, name: str, session: Session | None, **context: Any) -> HTMLResponse:
    return render(request, f"layui/{name}", session, **context)


def _login_page(request: Request, message: str | None = None, info: str | None = None) -> HTMLResponse:
    portal = state(request)
    session = session_of(request) or portal.sessions.create()
    portal.sessions.set_captcha(session, captcha.new_answer())
    response = _page(request, "login.html", session, message=message, info=info)
    set_cookie(response, session)
    return response


def _logged_in(request: Request) -> bool:
    session = session_of(request)
    return bool(session and session.username and not session.expired(state(request).settings.session_lifetime))


@router.get("/", response_class=HTMLResponse)
def front_page(request: Request) -> Response:
    """The portal's public front page; a logged-in user goes on to the portal home."""
    if _logged_in(request):
        return RedirectResponse(HOME, status_code=302)
    return _page(request, "index.html", None, apps=STANDARD_APPS)


@router.get("/cas/login", response_class=HTMLResponse)
def login_form(request: Request, expired: int = 0) -> Response:
    if _logged_in(request) and not expired:
        return RedirectResponse(HOME, status_code=302)
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
    response = RedirectResponse(HOME, status_code=302)
    set_cookie(response, fresh)
    return response


@router.get("/cas/logout")
def logout(request: Request) -> RedirectResponse:
    session = session_of(request)
    if session:
        state(request).sessions.drop(session.sid)
    return RedirectResponse("/", status_code=302)


@router.get(HOME, response_class=HTMLResponse)
def portal_home(request: Request) -> HTMLResponse:
    session = require_user(request)
    return _page(request, "home.html", session, apps=STANDARD_APPS, notice=state(request).settings.notice)


@router.get("/portal/app/{slug}", response_class=HTMLResponse)
def portal_app(request: Request, slug: str) -> HTMLResponse:
    session = require_user(request)
    if slug == "origin":
        return _page(request, "apps.html", session, title="原产地", apps=ORIGIN_APPS)
    return _page(request, "placeholder.html", session, title="功能建设中", standalone=True)


@router.get(f"{APP}/index", response_class=HTMLResponse)
def origin_shell(request: Request) -> HTMLResponse:
    session = require_user(request)
    renames = state(request).settings.rename_menu
    notice = state(request).settings.notice and not session.origin_notice_shown
    session.origin_notice_shown = True
    pages = [(key, menu.shown(name, renames), f"{APP}/page/{key}") for key, name in MENU_PAGES.items()]
    children = [(key, menu.shown(name, renames), url) for key, (name, url) in SUPPLEMENT_PAGES.items()]
    return _page(
        request,
        "shell.html",
        session,
        notice=notice,
        pages=pages,
        group=menu.shown(SUPPLEMENT_MENU, renames),
        children=children,
        home=f"{APP}/home",
    )


@router.get(f"{APP}/home", response_class=HTMLResponse)
def origin_home(request: Request) -> HTMLResponse:
    session = require_user(request)
    return _page(request, "welcome.html", session)


@router.get(f"{APP}/page/{{menu_id}}", response_class=HTMLResponse)
def origin_other_page(request: Request, menu_id: str) -> HTMLResponse:
    session = require_user(request)
    if menu_id not in MENU_PAGES:
        raise HTTPException(status_code=404)
    return _page(request, "placeholder.html", session, title=MENU_PAGES[menu_id], standalone=False)


@router.get(f"{APP}/supplement/entry", response_class=HTMLResponse)
def supplement_entry(request: Request) -> HTMLResponse:
    session = require_user(request)
    return _page(request, "entry.html", session, authorities=AUTHORITIES)


def _query(request: Request) -> dict[str, str]:
    return {k: v.strip() for k, v in request.query_params.items()}


def _list_context(request: Request, kind: str, query: dict[str, str]) -> dict[str, Any]:
    """What a list page needs for its variant: the columns and links (for the page script), and for a
    list the server renders, this page of rows and its pager (the query comes in the address)."""
    portal = state(request)
    variant = portal.variant
    spec: dict[str, Any] = {"columns": lists.columns(variant, kind), "ops": lists.ops(variant, kind)}
    context: dict[str, Any] = {"columns": spec["columns"], "ops": spec["ops"], "values": {}}
    if variant.results == "server":
        username = require_user(request).username or ""
        params = {"limit": str(variant.page_size), **query}
        page, size = api.paging(params)
        rows: list[dict[str, Any]] = []
        total = 0
        try:
            if kind == "cert":
                result = portal.db.search_certificates(
                    username, api.cert_filters(params), page, size, portal.settings.receipt_delay
                )
                rows = [cert_json(r) for r in result.rows]
            else:
                result = portal.db.search_submissions(
                    username, api.record_filters(params), page, size, portal.settings.receipt_delay
                )
                rows = [record_json(r, joined=True) for r in result.rows]
            total = result.total
        except api.BadQuery as error:
            spec["message"] = str(error)
        rows = lists.serials(rows, page, size)
        spec["rows"] = rows
        path = request.url.path
        context.update(values=query, list_rows=rows, pager=lists.pager(path, params, page, size, total))
    context["list_json"] = json.dumps(spec, ensure_ascii=False)
    return context


@router.get(f"{APP}/supplement/search", response_class=HTMLResponse)
def supplement_search(request: Request, authority: str = "") -> HTMLResponse:
    session = require_user(request)
    if authority not in AUTHORITIES:
        raise HTTPException(status_code=404)
    kinds = [name for name, _ in seed.CUSTOMS_KINDS.values()] if authority == seed.CUSTOMS else list(seed.CCPIT_KINDS)
    variant = state(request).variant
    rows = forms.rows_of(forms.search_fields(variant, kinds, STATUSES), 2)
    return _page(
        request,
        "search.html",
        session,
        authority=authority,
        title=AUTHORITIES[authority] + "补录",
        rows=rows,
        **_list_context(request, "cert", _query(request)),
    )


@router.get(f"{APP}/supplement/edit", response_class=HTMLResponse)
def supplement_edit(request: Request, certId: int, fragment: int = 0) -> HTMLResponse:
    """The 报关单号补录 form shown in the layer's iframe (the layer's own 提交 posts it); `fragment=1`: the
    form alone, for a layer that shows it in the page (dialog type 1)."""
    session = require_user(request)
    cert = state(request).db.certificate(session.username or "", certId)
    if cert is None or cert["audit_status"] != seed.APPROVED:
        raise HTTPException(status_code=404)
    return _page(request, "_edit_form.html" if fragment else "edit.html", session, cert=cert)


@router.get(f"{APP}/supplement/records", response_class=HTMLResponse)
def supplement_records(request: Request) -> HTMLResponse:
    session = require_user(request)
    rows = forms.rows_of(forms.record_fields(state(request).variant, STATUSES), 3)
    return _page(
        request,
        "records.html",
        session,
        statuses=STATUSES,
        rows=rows,
        **_list_context(request, "record", _query(request)),
    )


@router.get(f"{APP}/supplement/detail", response_class=HTMLResponse)
def supplement_detail(request: Request, id: int, fragment: int = 0) -> HTMLResponse:
    session = require_user(request)
    portal = state(request)
    record = portal.db.submission(session.username or "", id, portal.settings.receipt_delay)
    if record is None:
        raise HTTPException(status_code=404)
    return _page(request, "_detail_table.html" if fragment else "detail.html", session, record=record)
