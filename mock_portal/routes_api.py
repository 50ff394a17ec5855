"""XHR endpoints of the 补录 pages, answering the `{errCode, errMsg, data}` envelope."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mock_portal import seed
from mock_portal.db import Page
from mock_portal.rules import STATUSES, ValidationError, parse_declaration_nos
from mock_portal.web import check_csrf, envelope, invalid, no_data, require_user, state

router = APIRouter(prefix="/origin/api/supplement")

_AUTHORITY_ALIASES: dict[str, str] = {
    "customs": seed.CUSTOMS,
    "海关": seed.CUSTOMS,
    "ccpit": seed.CCPIT,
    "贸促会": seed.CCPIT,
}


async def _body(request: Request) -> dict[str, Any]:
    """The guarded JSON body: logged in (else 302), CSRF header (else 403), an object (else {})."""
    session = require_user(request)
    check_csrf(session, request.headers.get("X-CSRF-Token"))
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    return "" if value is None else str(value).strip()


def _paging(body: dict[str, Any]) -> tuple[int, int]:
    try:
        page = max(1, int(body.get("page") or 1))
        size = min(100, max(1, int(body.get("size") or 10)))
    except (TypeError, ValueError):
        return 1, 10
    return page, size


def _date_or_error(body: dict[str, Any], key: str) -> str:
    value = _text(body, key)
    if value:
        date.fromisoformat(value)  # ValueError when malformed
    return value


def cert_json(r: Any) -> dict[str, Any]:
    """One certificate of the 补录 search as both front ends' list endpoints send it."""
    return {
        "id": r["id"],
        "certNo": r["cert_no"],
        "certType": r["cert_type"],
        "exporterCode": r["exporter_code"],
        "exporterName": r["exporter_name"],
        "createdOn": r["created_on"],
        "auditStatus": r["audit_status"],
        "supplementStatus": r["supplement_status"],
    }


def record_json(r: Any, joined: bool = False) -> dict[str, Any]:
    """One supplement of 补录信息查询 as the list endpoints send it (the layui one joins the numbers by `;`)."""
    return {
        "id": r["id"],
        "certNo": r["cert_no"],
        "authority": r["authority_name"],
        "certType": r["cert_type"],
        "exporterCode": r["exporter_code"],
        "exported": r["exported_name"],
        "declarationNos": ";".join(r["numbers"]) if joined else r["numbers"],
        "time": r["time"],
        "status": r["status"],
        "reason": r["reason"],
    }


def _page(result: Page, rows: list[dict[str, Any]]) -> JSONResponse:
    if not result.total:
        return no_data()
    return envelope({"rows": rows, "total": result.total, "page": result.page, "size": result.size})


@router.post("/certs")
async def search_certificates(request: Request) -> JSONResponse:
    body = await _body(request)
    portal = state(request)
    username = require_user(request).username or ""
    authority = _AUTHORITY_ALIASES.get(_text(body, "authority"))
    if authority is None:
        return invalid("签证机构不正确")
    try:
        filters = {
            "authority": authority,
            "certType": _text(body, "certType"),
            "exporterCode": _text(body, "exporterCode"),
            "certNo": _text(body, "certNo"),
            "createdFrom": _date_or_error(body, "createdFrom"),
            "createdTo": _date_or_error(body, "createdTo"),
        }
    except ValueError:
        return invalid("日期格式应为YYYY-MM-DD")
    page, size = _paging(body)
    result = portal.db.search_certificates(username, filters, page, size, portal.settings.receipt_delay)
    rows = [cert_json(r) for r in result.rows]
    return _page(result, rows)


@router.post("/submit")
async def submit(request: Request) -> JSONResponse:
    body = await _body(request)
    portal = state(request)
    username = require_user(request).username or ""
    try:
        cert_id = int(body.get("certId"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return invalid("证明不存在", 404)
    cert = portal.db.certificate(username, cert_id)
    if cert is None or cert["audit_status"] != seed.APPROVED:
        return invalid("证明不存在", 404)
    exported = body.get("exported")
    try:
        numbers = parse_declaration_nos(None if exported is None else str(exported), _text(body, "declarationNos"))
    except ValidationError as error:
        return invalid(str(error))
    record_id = portal.add_submission(username, cert_id, str(exported) == "1", numbers)
    return envelope({"id": record_id, "status": "已申报"}, message="提交成功")


@router.post("/records")
async def search_records(request: Request) -> JSONResponse:
    body = await _body(request)
    portal = state(request)
    username = require_user(request).username or ""
    authority_text = _text(body, "authority")
    status = _text(body, "status")
    if (authority_text and authority_text not in _AUTHORITY_ALIASES) or (status and status not in STATUSES):
        return invalid("查询条件不正确")
    try:
        filters = {
            "authority": _AUTHORITY_ALIASES.get(authority_text, ""),
            "certNo": _text(body, "certNo"),
            "status": status,
            "from": _date_or_error(body, "from"),
            "to": _date_or_error(body, "to"),
        }
    except ValueError:
        return invalid("日期格式应为YYYY-MM-DD")
    page, size = _paging(body)
    result = portal.db.search_submissions(username, filters, page, size, portal.settings.receipt_delay)
    return _page(result, [record_json(r) for r in result.rows])
