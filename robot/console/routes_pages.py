"""The console's pages (运行中, 历史 and one run, 待回执, 模板与待补录清单, 设置) and the two tasks they start
(立即对账, 待补录清单). The 上传 page is in `routes_uploads`."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from robot.console import views
from robot.console.auth import Session
from robot.console.downloads import inside
from robot.console.routes_live import status_of
from robot.console.state import console_of, page, posted, user
from robot.core.model import Authority

router = APIRouter()


@router.get("/")
def home(session: Session = Depends(user)) -> Response:
    return RedirectResponse("/running", status_code=303)


@router.get("/running", response_class=HTMLResponse)
def running_page(request: Request, session: Session = Depends(user)) -> Response:
    return page(request, "running.html", session, status=status_of(console_of(request)))


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, session: Session = Depends(user)) -> Response:
    console = console_of(request)
    found = views.runs(console.settings, console.service.inbox.root)
    return page(request, "history.html", session, runs=found, reachable=lambda p: inside(p, console.roots()))


@router.get("/history/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: int, session: Session = Depends(user)) -> Response:
    console = console_of(request)
    view = views.run(console.settings, console.service.inbox.root, run_id)
    report = inside(view.report, console.roots()) if view else None
    headers, rows, total = views.detail_rows(report) if report else ([], [], 0)
    return page(request, "run.html", session, view=view, headers=headers, rows=rows, total=total, report=report)


@router.get("/pending", response_class=HTMLResponse)
def pending_page(request: Request, session: Session = Depends(user)) -> Response:
    console = console_of(request)
    files = [p for p in views.output_files(console.outputs) if p.name.startswith("对账")]
    return page(request, "pending.html", session, entries=views.awaiting(console.settings), files=files)


@router.post("/pending/reconcile")
def reconcile_now(request: Request, session: Session = Depends(posted)) -> Response:
    console = console_of(request)
    console.service.enqueue_task("立即对账", session.user, lambda: console.service.reconcile(console.outputs))
    return RedirectResponse("/running", status_code=303)


@router.get("/template", response_class=HTMLResponse)
def template_page(request: Request, session: Session = Depends(user)) -> Response:
    files = [p for p in views.output_files(console_of(request).outputs) if p.name.startswith("待补录清单")]
    return page(request, "template.html", session, files=files, authorities=[a.value for a in Authority])


@router.post("/worklist")
async def worklist_now(request: Request, session: Session = Depends(posted)) -> Response:
    console = console_of(request)
    form = await request.form()
    try:
        start = _day(str(form.get("date_from") or ""))
        end = _day(str(form.get("date_to") or ""))
    except ValueError:
        return JSONResponse({"error": "日期格式应为 YYYY-MM-DD"}, status_code=400)
    which = Authority.parse(str(form.get("authority") or ""))
    out = console.outputs / f"待补录清单-{datetime.now():%Y%m%d-%H%M%S}.xlsx"
    title = f"待补录清单（{start or '不限'} 至 {end or '不限'}，{which.value if which else '全部签证机构'}）"
    console.service.enqueue_task(title, session.user, lambda: console.worklist(out, which, start, end))
    return RedirectResponse("/running", status_code=303)


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, session: Session = Depends(user)) -> Response:
    return page(request, "settings.html", session, rows=views.settings_rows(console_of(request).settings))


def _day(text: str) -> date | None:
    text = text.strip()
    return date.fromisoformat(text) if text else None
