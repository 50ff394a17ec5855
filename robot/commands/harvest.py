"""`corobot harvest`: every 补录信息查询 entry (optionally with its 详情) streamed into a workbook.

Pages are written as they are read, so thousands of entries never sit in memory together. With several
accounts (or `--account NAME`) each account is read in turn and every row says its 账号.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import xlsxwriter
from loguru import logger

from robot.books.entries_sheet import EntriesSheet
from robot.commands.wiring import portal_worker
from robot.core.account_settings import accounts_of, settings_for
from robot.core.accounts import Account
from robot.core.config import Settings
from robot.core.errors import LoginFailed, PortalSystemError
from robot.core.exit_codes import ExitCode
from robot.core.logs import progress, setup_logging
from robot.core.model import Authority
from robot.engine.portal_job import connected_worker


def run_harvest(
    settings: Settings,
    out: Path,
    authority: Authority | None,
    date_from: date | None,
    date_to: date | None,
    status: str | None,
    details: bool,
    verbose: bool = False,
    accounts: list[Account] | None = None,
) -> ExitCode:
    setup_logging(out.with_suffix(".log"), verbose)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.tmp.xlsx")
    wb = xlsxwriter.Workbook(
        str(tmp),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = EntriesSheet(wb)
    try:
        for account in accounts or accounts_of(settings):
            asyncio.run(
                _harvest(
                    settings_for(settings, account),
                    sheet,
                    authority,
                    date_from,
                    date_to,
                    status,
                    details,
                    account.label,
                )
            )
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


async def _harvest(
    settings: Settings,
    sheet: EntriesSheet,
    authority: Authority | None,
    date_from: date | None,
    date_to: date | None,
    status: str | None,
    details: bool,
    label: str,
) -> None:
    async with connected_worker(settings, portal_worker) as worker:
        with progress(0, f"补录信息（{label}）") as bar:
            async for entries in worker.harvest(authority, date_from, date_to, status, details):
                sheet.write({"账号": label, **entry} for entry in entries)
                bar.update(len(entries))
