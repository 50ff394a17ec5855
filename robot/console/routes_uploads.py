"""The 上传 page and its requests: a workbook streamed in and checked (`robot.console.uploads`, then the
service's `check_upload`), confirmed into the queue or discarded.

Each user may have `console_pending_uploads` checked uploads waiting for 确认 (uploads still streaming in
count too); more are refused (429) until some are confirmed or discarded. An upload left waiting longer
than `console_pending_upload_minutes` is discarded (its staged file deleted) the next time its user
uploads or opens the page, and only the last `KEEP_ANSWERED` refused or confirmed checks are listed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from robot.console.auth import Session
from robot.console.state import Console, console_of, page, posted, user
from robot.console.uploads import MIB, Refused, receive, upload_name

router = APIRouter()
KEEP_ANSWERED = 20


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, session: Session = Depends(user)) -> Response:
    console = console_of(request)
    tidy(console, session.user)
    checks = console.service.user_uploads(session.user)
    return page(
        request, "upload.html", session, checks=checks[::-1], limit_mb=f"{console.settings.console_upload_max_mb:g}"
    )


@router.post("/api/upload", response_class=HTMLResponse)
async def upload(request: Request, session: Session = Depends(posted)) -> Response:
    console = console_of(request)
    limit = int(console.settings.console_upload_max_mb * MIB)
    try:
        with _slot(console, session.user):
            name = upload_name(request.headers.get("x-file-name"))
            received = await receive(
                request.stream(), request.headers.get("content-length"), console.service.staging, limit
            )
            check = await run_in_threadpool(console.service.check_upload, received, name, session.user)
    except Refused as refusal:
        html = console.templates.get_template("_refused.html").render(
            name=unquote(request.headers.get("x-file-name", "")), reason=str(refusal)
        )
        return HTMLResponse(html, status_code=refusal.status)
    html = console.templates.get_template("_check.html").render(check=check, csrf=session.csrf)
    return HTMLResponse(html, status_code=200 if not check.refusal else 422)


@router.post("/upload/{check_id}/confirm")
def confirm(request: Request, check_id: str, session: Session = Depends(posted)) -> Response:
    console_of(request).service.confirm_upload(check_id, session.user)
    return RedirectResponse("/running", status_code=303)


@router.post("/upload/{check_id}/discard")
def discard(request: Request, check_id: str, session: Session = Depends(posted)) -> Response:
    console_of(request).service.discard_upload(check_id, session.user)
    return RedirectResponse("/upload", status_code=303)


@contextmanager
def _slot(console: Console, who: str) -> Iterator[None]:
    """Holds one of `who`'s pending places while an upload streams in and is checked; Refused (429)
    when they are all taken."""
    tidy(console, who)
    most = console.settings.console_pending_uploads
    with console.lock:
        waiting = sum(c.path is not None for c in console.service.user_uploads(who))
        if waiting + console.receiving.get(who, 0) >= most:
            raise Refused(
                f"已有 {most} 个上传等待确认：请先确认或放弃它们，再上传新的文件（设置 console_pending_uploads）", 429
            )
        console.receiving[who] = console.receiving.get(who, 0) + 1
    try:
        yield
    finally:
        with console.lock:
            console.receiving[who] -= 1
            if not console.receiving[who]:
                del console.receiving[who]


def tidy(console: Console, who: str) -> None:
    """Discards `who`'s uploads waiting too long, and forgets all but the last answered checks."""
    ttl_s = console.settings.console_pending_upload_minutes * 60
    checks = console.service.user_uploads(who)
    answered = [c for c in checks if c.path is None and (c.job is None or c.job.finished_at is not None)]
    old = {c.id for c in answered[:-KEEP_ANSWERED]} if len(answered) > KEEP_ANSWERED else set()
    for check in checks:
        if check.path is not None and _age_s(check.path.parent) > ttl_s:
            old.add(check.id)
    for check_id in old:
        console.service.discard_upload(check_id, who)


def _age_s(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0
