"""The console's 主机 page (several hosts on one PostgreSQL): every host of the shared queue (name,
accounts, last heartbeat, rows in flight) and the queue's latest workbooks with their rows per state."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from robot.console.auth import Session
from robot.console.state import console_of, page, user
from robot.ops.host_view import NOT_SHARED, book_text, host_lines, shared_queue

router = APIRouter()


@router.get("/hosts", response_class=HTMLResponse)
def hosts_page(request: Request, session: Session = Depends(user)) -> Response:
    settings = console_of(request).settings
    queue, note = None, NOT_SHARED
    hosts, books = [], []
    try:
        queue = shared_queue(settings)
        if queue is not None:
            note = ""
            hosts = host_lines(queue, settings.queue_lease_s)
            books = [book_text(p) for p in queue.progress(20)]
    except SQLAlchemyError:
        note = "共享数据库无法连接：请检查 journal_url 与数据库服务器"
    finally:
        if queue is not None:
            queue.engine.dispose()
    return page(request, "hosts.html", session, hosts=hosts, books=books, note=note)
