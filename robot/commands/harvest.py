"""`corobot harvest`: every 补录信息查询 entry (optionally with its 详情) streamed into a workbook.

Pages are written as they are read, so thousands of entries never sit in memory together.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import xlsxwriter
from loguru import logger

from robot.books.entries_sheet import EntriesSheet
from robot.core.config import Settings
from robot.core.errors import LoginFailed, PortalSystemError
from robot.core.exit_codes import ExitCode
from robot.core.logs import progress, setup_logging
from robot.core.model import Authority


def run_harvest(settings: Settings, out: Path, authority: Authority | None, date_from: date | None,
                date_to: date | None, status: str | None, details: bool, verbose: bool = False) -> ExitCode:
    setup_logging(out.with_suffix(".log"), verbose)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = EntriesSheet(wb)
    try:
        asyncio.run(_harvest(settings, sheet, authority, date_from, date_to, status, details))
    except (LoginFailed, PortalSystemError) as error:
        logger.error("门户无法操作：{}", error)
        wb.close()
        tmp.unlink(missing_ok=True)
        return ExitCode.PORTAL_UNAVAILABLE
    sheet.finish()
    wb.close()
    tmp.replace(out)
    logger.info("补录信息：{} 条，已写入 {}", sheet.rows, out)
    return ExitCode.OK


async def _harvest(settings: Settings, sheet: EntriesSheet, authority: Authority | None, date_from: date | None,
                   date_to: date | None, status: str | None, details: bool) -> None:
    from robot.engine.portal_job import connected_worker

    async with connected_worker(settings) as worker:
        with progress(0, "补录信息") as bar:
            async for entries in worker.harvest(authority, date_from, date_to, status, details):
                sheet.write(entries)
                bar.update(len(entries))
