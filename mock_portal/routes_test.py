"""Test-only JSON API under /__test__/ (mounted only with --test-api): inspect data, reset, chaos."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_portal import seed
from mock_portal.auth import COOKIE
from mock_portal.web import state

router = APIRouter(prefix="/__test__")


@router.get("/submissions")
def submissions(request: Request, enterprise: str | None = None, certNo: str | None = None) -> list[dict[str, Any]]:
    portal = state(request)
    rows = portal.db.submissions(portal.settings.receipt_delay, enterprise, certNo)
    return [
        {
            "id": r["id"],
            "time": r["time"],
            "enterprise": r["username"],
            "authority": r["authority_name"],
            "certNo": r["cert_no"],
            "exported": r["exported_name"],
            "declarationNos": r["numbers"],
            "status": r["status"],
            "reason": r["reason"],
        }
        for r in rows
    ]


@router.get("/certificates")
def certificates(request: Request, enterprise: str | None = None) -> list[dict[str, Any]]:
    return [
        {
            "id": c["id"],
            "authority": seed.AUTHORITY_NAMES[c["authority"]],
            "certNo": c["cert_no"],
            "certType": c["cert_type"],
            "exporterCode": c["exporter_code"],
            "exporterName": c["exporter_name"],
            "createdOn": c["created_on"],
            "approved": c["audit_status"] == seed.APPROVED,
            "auditStatus": c["audit_status"],
            "enterprise": c["username"],
        }
        for c in state(request).db.certificates(enterprise)
    ]


@router.get("/declarations")
def declarations(request: Request, enterprise: str | None = None) -> list[dict[str, Any]]:
    return [
        {"number": d["number"], "enterprise": d["username"], "flag": d["flag"], "status": d["status"]}
        for d in state(request).db.declarations(enterprise)
    ]


@router.get("/captcha")
def captcha_answer(request: Request, sid: str | None = None) -> dict[str, str | None]:
    portal = state(request)
    if sid is None:
        sid = request.cookies.get(COOKIE)
    if sid:
        session = portal.sessions.get(sid)
        if session is None:
            raise HTTPException(status_code=404, detail="no such session")
        return {"answer": session.captcha}
    return {"answer": portal.sessions.last_captcha}


@router.post("/reset")
def reset(request: Request) -> dict[str, bool]:
    state(request).db.reset()
    return {"ok": True}


@router.get("/chaos")
def chaos(request: Request) -> dict[str, Any]:
    return state(request).settings.chaos()


@router.post("/chaos")
async def set_chaos(request: Request) -> dict[str, Any]:
    body = await request.json()
    if not isinstance(body, dict):
        raise HTTPException(status_code=400, detail="expected a JSON object")
    portal = state(request)
    try:
        knobs = portal.settings.update_chaos(body)
    except ValueError as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    if "expire_after_submits" in body:  # every N-th 补录 counted from now, not from the portal's start
        portal.submits = 0
    return knobs


@router.post("/expire")
def expire(request: Request) -> dict[str, bool]:
    """Every logged-in session expires now: the next request of each gets the portal's 登录已超时."""
    state(request).sessions.revoke_all()
    return {"expired": True}


@router.get("/frontend")
def frontend(request: Request) -> dict[str, Any]:
    """Which front end this portal serves (start-up setting) and the renamed menu entries."""
    settings = state(request).settings
    return {"frontend": settings.frontend, "renameMenu": settings.rename_menu}


@router.get("/accounts")
def accounts(request: Request) -> list[dict[str, Any]]:
    return [
        {"username": e.username, "password": seed.DEMO_PASSWORD, "enterprise": e.name, "exporterCodes": list(e.codes)}
        for e in seed.enterprises(state(request).settings.enterprises)
    ]


@router.get("/fault")
def faults(request: Request) -> dict[str, Any]:
    """Armed fault drills and how many requests were hung or failed by them so far."""
    return request.app.state.faults.state()


@router.post("/fault")
async def arm_fault(request: Request) -> dict[str, Any]:
    """`{"kind": "page"|"xhr"|"login"|"any", "fault": "hang"|"error", "count": 1}`: the next `count`
    requests of that kind never answer (hang) or answer 502 (error); count 0 disarms."""
    body = await request.json()
    if not isinstance(body, dict):
        raise HTTPException(status_code=400, detail="expected a JSON object")
    try:
        request.app.state.faults.arm(
            str(body.get("kind", "")), str(body.get("fault", "hang")), int(body.get("count", 1))
        )
    except (TypeError, ValueError) as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    return request.app.state.faults.state()


class RequestCounter:
    """ASGI middleware of the test API: counts every request that reaches the portal by "METHOD /path"
    (query left out; the test API's own requests not counted), so that a benchmark can tell the round
    trips a client made (a browser's cache hits never reach the portal)."""

    def __init__(self, app: ASGIApp, counts: dict[str, int]) -> None:
        self.app = app
        self.counts = counts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/__test__/"):
            key = f"{scope['method']} {scope['path']}"
            self.counts[key] = self.counts.get(key, 0) + 1
        await self.app(scope, receive, send)


@router.get("/requests")
def requests_counted(request: Request) -> dict[str, int]:
    """How many requests of each kind ("METHOD /path") reached the portal since it started."""
    return dict(request.app.state.request_counts)
