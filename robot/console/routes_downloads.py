"""The console's downloads: the empty template, a run's result workbook, log and evidence (zipped), and
the console's own output files — only from the robot's output folders (`robot.console.downloads`).

Every download of a run's files is logged (who, which run, which file) in the service's log. Any console
account may download any run's files: the accounts are the ops staff of one robot (one portal login for
all), and the evidence holds no replayable secret (`robot.session.bundle`)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from loguru import logger
from starlette.background import BackgroundTask

from robot.books.template import write_template
from robot.console import views
from robot.console.auth import Session
from robot.console.downloads import inside, plain_name, zip_folder
from robot.console.state import console_of, user

router = APIRouter(prefix="/download")
KINDS = {"report": "结果文件", "log": "日志", "evidence": "证据"}


@router.get("/template")
def template_download(request: Request, session: Session = Depends(user)) -> Response:
    path = console_of(request).outputs / f".模板-{secrets.token_hex(4)}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_template(path)
    return FileResponse(path, filename="补录清单模板.xlsx", background=BackgroundTask(path.unlink))


@router.get("/run/{run_id}/{kind}")
def run_download(request: Request, run_id: int, kind: str, session: Session = Depends(user)) -> Response:
    console = console_of(request)
    view = views.run(console.settings, console.service.inbox.root, run_id)
    if view is None or kind not in KINDS:
        return Response("找不到该文件", status_code=404)
    found = inside({"report": view.report, "log": view.log, "evidence": view.evidence}[kind], console.roots())
    if found is None:
        return Response("找不到该文件（不在机器人的输出目录中）", status_code=404)
    address = request.client.host if request.client else "?"
    logger.info(
        "控制台下载：{} 下载了运行 {} 的{}（{}），地址 {}", session.user, run_id, KINDS[kind], found.name, address
    )
    if found.is_dir():
        archive = zip_folder(found)
        return FileResponse(archive, filename=f"{found.name}.zip", background=BackgroundTask(archive.unlink))
    return FileResponse(found, filename=found.name)


@router.get("/file/{name}")
def file_download(request: Request, name: str, session: Session = Depends(user)) -> Response:
    outputs = console_of(request).outputs
    if not plain_name(name):
        return Response("文件名无效", status_code=400)
    found = inside(outputs / name, [outputs])
    if found is None or not found.is_file():
        return Response("找不到该文件", status_code=404)
    logger.info("控制台下载：{} 下载了 {}", session.user, found.name)
    return FileResponse(found, filename=found.name)
