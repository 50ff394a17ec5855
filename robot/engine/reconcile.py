"""Reconciliation: brings journaled rows that are not final up to date with 补录信息查询.

`reconcile_journal` is one bounded pass (used before new work by `run`/`watch`, and by
`corobot reconcile`); `run_reconcile` is the command: for each account (or `--account NAME`) connect,
reconcile that account's journal entries, and write one report whose rows say their 账号 and what a
row left 已提交，待回执 became (处理结果 成功 or 失败, or still 已提交，待回执, with 说明 saying so).
The command exits 1 when a receipt says 海关接收失败, 7 (RECEIPTS_PENDING) when some are still awaited.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import xlsxwriter
from loguru import logger

from robot.books.entries_sheet import EntriesSheet
from robot.core.account_settings import accounts_of, settings_for
from robot.core.accounts import Account
from robot.core.config import Settings
from robot.core.errors import LoginFailed, PortalSystemError
from robot.core.exit_codes import ExitCode
from robot.core.logs import setup_logging
from robot.core.model import (
    FINAL_STATUSES,
    STATUS_ACCEPTED,
    STATUS_PENDING_RECEIPT,
    STATUS_REJECTED,
    Result,
    Task,
)
from robot.core.portal import PortalClient, PortalWorkers
from robot.engine.journal import INTENT, Entry, Journal
from robot.engine.journal_open import open_journal, scope_of
from robot.engine.portal_job import connected_worker

REPORT_PREFIX = "对账"
NOT_SENT = "门户中没有此补录（上次未提交成功），再次运行该工作簿时会重新提交"


@dataclass(frozen=True)
class Checked:
    entry: Entry
    status: str
    message: str
    account: str = ""
    """The label of the account whose journal entry it is."""


def task_of(entry: Entry) -> Task:
    return Task(0, entry.authority, entry.cert_no, entry.exported, entry.declaration_nos)


async def reconcile_journal(worker: PortalClient, journal: Journal, skip_keys: set[str] | None = None) -> list[Checked]:
    """Looks every not-final journal entry up on the portal once and records what it shows."""
    entries = [e for e in journal.unfinished() + journal.awaiting_final() if e.key not in (skip_keys or set())]
    if entries:
        logger.info("对账：{} 条已记录的补录尚无最终状态，查询门户", len(entries))
    checked: list[Checked] = []
    for entry in entries:
        task = task_of(entry)
        records = [r for r in await worker.find_supplements(task) if r.matches(task)]
        if not records:
            note = NOT_SENT if entry.state == INTENT else "门户中未找到此补录"
            checked.append(Checked(entry, entry.status, note))
            continue
        latest = max(records, key=lambda r: r.submitted_at)
        reason = ""
        if latest.status == STATUS_REJECTED:
            reason = await worker.failure_reason(task)
        journal.record_status(entry.key, latest.status, reason)
        checked.append(Checked(entry, latest.status, _said(latest.status, reason)))
    return checked


def result_of(checked: Checked) -> Result:
    """The row's 处理结果 now: 成功 once 海关接收成功, 失败 once 海关接收失败, else still 已提交，待回执
    (or 未处理 when the portal has no such supplement: the row was never sent)."""
    if checked.status == STATUS_ACCEPTED:
        return Result.SUCCESS
    if checked.status == STATUS_REJECTED:
        return Result.FAILED
    return Result.UNPROCESSED if checked.message == NOT_SENT else Result.SUBMITTED


def _said(status: str, reason: str) -> str:
    """说明 of a row looked up: what its 已提交，待回执 became."""
    if status == STATUS_ACCEPTED:
        return f"{Result.SUBMITTED.value} → {Result.SUCCESS.value}（{status}）"
    if status == STATUS_REJECTED:
        return f"{Result.SUBMITTED.value} → {Result.FAILED.value}：{reason or '门户未给出原因'}"
    return f"仍为 {Result.SUBMITTED.value}（门户补录状态：{status}），下次对账继续"


def run_reconcile(
    settings: Settings,
    out_dir: Path | None,
    verbose: bool = False,
    accounts: list[Account] | None = None,
    *,
    workers: PortalWorkers,
) -> ExitCode:
    """`corobot reconcile`: update every journaled row not yet final and write 对账-<time>.xlsx."""
    started = datetime.now()
    folder = Path(out_dir or settings.out_dir or Path("data/out"))
    report = folder / f"{REPORT_PREFIX}-{started:%Y%m%d-%H%M%S}.xlsx"
    setup_logging(report.with_suffix(".log"), verbose)
    settings.state_dir.mkdir(parents=True, exist_ok=True)

    async def work(journal: Journal, account: Account) -> list[Checked]:
        mine = settings_for(settings, account)
        view = journal.scoped(scope_of(mine))
        if not view.unfinished() and not view.awaiting_final():
            return []
        async with connected_worker(mine, workers) as worker:
            return [replace(c, account=account.label) for c in await reconcile_journal(worker, view)]

    checked: list[Checked] = []
    with open_journal(settings) as journal:
        try:
            for account in accounts or accounts_of(settings):
                checked += asyncio.run(work(journal, account))
        except (LoginFailed, PortalSystemError) as error:
            logger.error("门户无法操作：{}", error)
            return ExitCode.PORTAL_UNAVAILABLE
    write_reconcile_report(report, checked)
    logger.info("对账结果：{}（{} 条）", report, len(checked))
    if any(c.status == STATUS_REJECTED for c in checked):
        return ExitCode.ROWS_FAILED
    return ExitCode.RECEIPTS_PENDING if any(result_of(c) == Result.SUBMITTED for c in checked) else ExitCode.OK


def write_reconcile_report(path: Path, checked: list[Checked]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = EntriesSheet(wb, "对账")
    sheet.write(
        {
            "账号": c.account,
            "签证机构": c.entry.authority.value,
            "证明号": c.entry.cert_no,
            "是否实际出口": "是" if c.entry.exported else "否",
            "报关单号": ";".join(c.entry.declaration_nos),
            "处理结果": result_of(c).value,
            "补录状态": c.status if c.status in FINAL_STATUSES else STATUS_PENDING_RECEIPT,
            "说明": c.message,
            "上次处理时间": f"{c.entry.updated_at:%Y-%m-%d %H:%M:%S}",
        }
        for c in checked
    )
    sheet.finish("没有需要对账的补录")
    wb.close()
