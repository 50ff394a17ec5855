"""The console's live part: the status API the 运行中 page polls, 停止 / 继续 / 立即查看收件箱, and the
captcha a person is asked to read (its image and the answer)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from robot.console.auth import Session
from robot.console.state import PAGES, Console, console_of, polling, posted
from robot.core.live import LIVE
from robot.engine.captcha_desk import DESK

router = APIRouter()


@router.get("/api/status")
def status(request: Request, session: Session = Depends(polling)) -> Response:
    return JSONResponse(status_of(console_of(request)))


@router.post("/stop")
def stop(request: Request, session: Session = Depends(posted)) -> Response:
    console_of(request).service.stop_current(session.user)
    return RedirectResponse("/running", status_code=303)


@router.post("/resume")
def resume(request: Request, session: Session = Depends(posted)) -> Response:
    console_of(request).service.resume(session.user)
    return RedirectResponse("/running", status_code=303)


@router.post("/look")
def look(request: Request, session: Session = Depends(posted)) -> Response:
    console_of(request).service.look_now(session.user)
    return RedirectResponse("/running", status_code=303)


@router.get("/captcha.png")
def captcha_png(id: str = "", session: Session = Depends(polling)) -> Response:
    prompt = DESK.pending()
    if prompt is None or prompt.id != id:
        return Response(status_code=404)
    return Response(prompt.png, media_type="image/png")


@router.post("/captcha")
async def captcha_answer(request: Request, session: Session = Depends(posted)) -> Response:
    form = await request.form()
    DESK.answer(str(form.get("id") or ""), str(form.get("answer") or "")[:20])
    back = str(form.get("back") or "/running")
    return RedirectResponse(back if back in dict(PAGES) else "/running", status_code=303)


def status_of(console: Console) -> dict[str, Any]:
    service = console.service
    prompt = DESK.pending()
    out: dict[str, Any] = {
        "job": None,
        "paused": service.paused,
        "queue": [j.title for j in service.queued()],
        "log": list(service.log_tail)[-15:],
        "captcha": {"id": prompt.id, "seconds_left": prompt.seconds_left} if prompt else None,
        "captcha_message": DESK.last_message,
        "next_look": f"{service.next_look:%H:%M:%S}" if service.next_look else "",
        "recent": [
            {
                "title": j.title,
                "who": j.who,
                "exit_code": j.exit_code,
                "finished": f"{j.finished_at:%m-%d %H:%M:%S}" if j.finished_at else "",
            }
            for j in list(service.recent)
        ],  # a copy: the worker thread adds to it
    }
    job = service.current
    if job is not None:
        started = job.started_at or datetime.now()
        out["job"] = {
            "title": job.title,
            "who": job.who,
            "started": f"{started:%H:%M:%S}",
            "elapsed_s": int((datetime.now() - started).total_seconds()),
            "stoppable": job.kind in ("upload", "inbox"),
        }
        out.update(_live())
    return out


def _live() -> dict[str, Any]:
    live = LIVE.snapshot()
    if live.started is None or live.ended is not None:
        return {}
    elapsed = time.monotonic() - live.started
    left = max(0, live.total - live.done)
    return {
        "live": {
            "total": live.total,
            "done": live.done,
            "left": left,
            "failed": live.counts.get("失败", 0),
            "counts": live.counts,
            "current": live.current,
            "eta_s": int(elapsed / live.done * left) if live.done else None,
        }
    }
