"""XHR endpoints of the layui front end: bootstrap-table's own wire and form-encoded posts.

Answers are the flat envelope `{errCode, errMsg, rows, total}` (100 = ok, 101 = no data, 102 = refused,
with the rule's message); lists take bootstrap-table's `limit`/`offset` plus the query fields, from the
query string (GET) or a form-encoded body (POST). POSTs carry the session's CSRF token in the
`X-CSRF-Token` header or a `csrf_token` field. Without a valid login the app answers XHR with errCode
-1/401 (app.py); a page load goes to the login page.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mock_portal import seed
from mock_portal.routes_api import _AUTHORITY_ALIASES, cert_json, record_json
from mock_portal.rules import STATUSES, ValidationError, parse_declaration_nos
from mock_portal.web import check_csrf, require_user, state

router = APIRouter(prefix="/swOrigin/api/supplement")
MAX_LIMIT = 100


def answer(
    code: str = "100",
    message: str = "成功",
    rows: list[dict[str, Any]] | None = None,
    total: int = 0,
    status: int = 200,
    **extra: Any,
) -> JSONResponse:
    return JSONResponse(
        {"errCode": code, "errMsg": message, "rows": rows or [], "total": total, **extra}, status_code=status
    )


async def _params(request: Request) -> dict[str, str]:
    """Query string and, for POST, the form body (guarded: logged in, CSRF token) as one flat dict."""
    session = require_user(request)
    params = {k: v.strip() for k, v in request.query_params.items()}
    if request.method == "POST":
        form = await request.form()
        params.update({k: str(v).strip() for k, v in form.items()})
        check_csrf(session, request.headers.get("X-CSRF-Token") or params.get("csrf_token"))
    return params


def paging(params: dict[str, str]) -> tuple[int, int]:
    """(page, size) from bootstrap-table's limit/offset (offset rounded down to a whole page), or from
    layui table's and the server-rendered list's page/limit."""
    try:
        limit = min(MAX_LIMIT, max(1, int(params.get("limit") or 10)))
        if params.get("page") and not params.get("offset"):
            return max(1, int(params["page"])), limit
        offset = max(0, int(params.get("offset") or 0))
    except ValueError:
        return 1, 10
    return offset // limit + 1, limit


_RANGE = re.compile(r"\s+-\s+|\s*[~～至]\s*")


def _dates(params: dict[str, str], start: str, end: str, both: str) -> tuple[str, str]:
    """A date filter from two fields, or from one range field ("YYYY-MM-DD - YYYY-MM-DD"); ValueError
    when a date is malformed."""
    first, last = params.get(start, ""), params.get(end, "")
    if params.get(both):
        parts = _RANGE.split(params[both], maxsplit=1)
        first, last = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    for value in (first, last):
        if value:
            date.fromisoformat(value)
    return first, last


class BadQuery(ValueError):
    """A query the portal refuses, with its message."""


def cert_filters(params: dict[str, str]) -> dict[str, str]:
    """The 补录 search's filters from a request's fields; BadQuery with the portal's message."""
    authority = _AUTHORITY_ALIASES.get(params.get("authority", ""))
    if authority is None:
        raise BadQuery("签证机构不正确")
    try:
        created_from, created_to = _dates(params, "createdFrom", "createdTo", "createdRange")
    except ValueError:
        raise BadQuery("日期格式应为YYYY-MM-DD") from None
    return {
        "authority": authority,
        "certType": params.get("certType", ""),
        "exporterCode": params.get("exporterCode", ""),
        "exporterName": params.get("exporterName", ""),
        "supplementStatus": params.get("supplementStatus", ""),
        "certNo": params.get("certNo", ""),
        "createdFrom": created_from,
        "createdTo": created_to,
    }


def record_filters(params: dict[str, str]) -> dict[str, str]:
    """补录信息查询's filters from a request's fields; BadQuery with the portal's message."""
    authority_text = params.get("authority", "")
    status = params.get("status", "")
    if (authority_text and authority_text not in _AUTHORITY_ALIASES) or (status and status not in STATUSES):
        raise BadQuery("查询条件不正确")
    try:
        start, end = _dates(params, "from", "to", "dateRange")
    except ValueError:
        raise BadQuery("日期格式应为YYYY-MM-DD") from None
    return {
        "authority": _AUTHORITY_ALIASES.get(authority_text, ""),
        "certNo": params.get("certNo", ""),
        "status": status,
        "from": start,
        "to": end,
    }


@router.api_route("/certList", methods=["GET", "POST"])
async def certificate_list(request: Request) -> JSONResponse:
    params = await _params(request)
    portal = state(request)
    username = require_user(request).username or ""
    try:
        filters = cert_filters(params)
    except BadQuery as error:
        return answer("102", str(error))
    page, size = paging(params)
    result = portal.db.search_certificates(username, filters, page, size, portal.settings.receipt_delay)
    if not result.total:
        return answer("101", "没有查询到数据")
    rows = [cert_json(r) for r in result.rows]
    return answer(rows=rows, total=result.total)


@router.post("/save")
async def save(request: Request) -> JSONResponse:
    params = await _params(request)
    portal = state(request)
    username = require_user(request).username or ""
    try:
        cert_id = int(params.get("certId", ""))
    except ValueError:
        return answer("102", "证明不存在")
    cert = portal.db.certificate(username, cert_id)
    if cert is None or cert["audit_status"] != seed.APPROVED:
        return answer("102", "证明不存在")
    exported = params.get("exported") or None
    try:
        numbers = parse_declaration_nos(exported, params.get("declarationNos", ""))
    except ValidationError as error:
        return answer("102", str(error))
    record_id = portal.add_submission(username, cert_id, exported == "1", numbers)
    said = "数据已保存" if portal.settings.break_page == "success_text" else "提交成功"
    return answer(message=said, data={"id": record_id, "status": "已申报"})


@router.api_route("/recordList", methods=["GET", "POST"])
async def record_list(request: Request) -> JSONResponse:
    params = await _params(request)
    portal = state(request)
    username = require_user(request).username or ""
    try:
        filters = record_filters(params)
    except BadQuery as error:
        return answer("102", str(error))
    page, size = paging(params)
    result = portal.db.search_submissions(username, filters, page, size, portal.settings.receipt_delay)
    if not result.total:
        return answer("101", "没有查询到数据")
    return answer(rows=[record_json(r, joined=True) for r in result.rows], total=result.total)
