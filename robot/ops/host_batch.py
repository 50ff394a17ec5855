"""One claimed batch of a shared queue: the engine's account run (robot.engine.account_runs) over the
claimed rows, and what becomes of each row.

The workbook comes from the queue (its content), read as `corobot run` reads it; the claimed rows' tasks
are worked by one Runner with the journal shared in the database, so a row taken over from a host that
died is read back from the portal first when its intent was journaled; the journal is fenced
(robot.ops.host_fence): a row this host no longer holds is never sent. A row with an outcome is final;
a row left 未处理 goes back to the queue: at once when the run was cut short by a stop, after
`watch_retry_pause_s` (doubling) when system errors kept it 待重试 (final as 未处理 after `watch_retry_max`
attempts) or when the account could not be worked at all (login refused, portal or browser unusable:
its rows wait, doubling up to a day, rather than a login every few seconds).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from loguru import logger
from playwright.async_api import Error as PlaywrightError

from robot.books.account_column import assign_accounts
from robot.books.workbook_in import read_input
from robot.core.account_settings import accounts_of, find_account, settings_for
from robot.core.config import Settings
from robot.core.errors import LoginFailed, PortalSystemError
from robot.core.model import InputWorkbook, Result, RowOutcome
from robot.core.portal import PortalWorkers
from robot.engine.account_runs import AccountWork, work_accounts
from robot.engine.control import first_line
from robot.engine.job import BROWSER_FAILED
from robot.engine.journal import Journal
from robot.engine.journal_open import open_journal
from robot.engine.runner import RunAborted
from robot.engine.stopping import STOP
from robot.ops.db_link import LINK_ERRORS
from robot.ops.host_fence import FencedJournal
from robot.store.queue import Book, Claim, SharedQueue

BOOKS = "queue"
"""Workbooks read from the queue are kept here, inside the state folder (one file per content)."""
MAX_PAUSE_S = 86_400.0


def book_file(settings: Settings, book: Book, content: bytes) -> Path:
    """The queued workbook as a file of this host (written once per content)."""
    path = settings.state_dir / BOOKS / book.sha256[:16] / book.name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    return path


def read_book(settings: Settings, book: Book, path: Path) -> InputWorkbook:
    """The workbook read and its rows given their accounts, as when it was queued."""
    parsed = read_input(path, settings=settings)
    accounts = accounts_of(settings)
    assign_accounts(parsed, accounts, find_account(accounts, book.account) if book.account else None)
    return parsed


@dataclass
class BatchResult:
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    """Rows that are final now."""
    released: list[int] = field(default_factory=list)
    failure: str = ""
    """Why the account could not be worked (the portal, a stop): the host looks at the queue later."""


def run_batch(
    settings: Settings,
    queue: SharedQueue,
    claim: Claim,
    book: Book,
    parsed: InputWorkbook,
    workers: PortalWorkers,
    evidence_dir: Path,
) -> BatchResult:
    """Works the claim's rows; returns what became of them."""
    account = find_account(accounts_of(settings), claim.account)
    tasks = [r.task for r in parsed.rows if r.task is not None and r.row in claim.rows]
    if account is None or not tasks:
        return BatchResult(failure=f"本机未配置账号 {claim.account}")
    work = AccountWork(account, settings_for(settings, account), tasks)
    logger.info("主机 {}：{} 的 {} 行（账号 {}）", queue.host, book.name, len(tasks), account.label)
    with open_journal(settings) as plain:
        run_id = plain.start_run(Path(book.name), book.sha256, False, (account.label,))
        journal = cast(Journal, FencedJournal(plain, lambda task: queue.hold(claim, task.row), LINK_ERRORS))
        try:
            asyncio.run(work_accounts(settings, journal, run_id, [work], evidence_dir, False, workers))
        except (LoginFailed, RunAborted, PortalSystemError) as error:
            logger.error("门户无法操作：{}", error)
            work.failure = work.failure or str(error)
        except PlaywrightError as error:  # the browser failed outside any step: as `corobot run` says it
            logger.debug("browser error: {}", first_line(error))
            logger.error("门户无法操作：{}", BROWSER_FAILED)
            work.failure = work.failure or BROWSER_FAILED
        counts: dict[str, int] = {}
        for outcome in work.outcomes.values():
            counts[outcome.result.value] = counts.get(outcome.result.value, 0) + 1
        try:
            plain.finish_run(run_id, counts, None, 3 if work.failure else 0)
        except LINK_ERRORS as error:  # the history line only: the outcomes are the queue's, recorded next
            logger.warning("运行记录未能写入共享数据库（{}）：各行结果仍记入共享队列", type(error).__name__)
    return BatchResult(dict(work.outcomes), failure=work.failure)


def settle(settings: Settings, claim: Claim, result: BatchResult, attempts: dict[int, int]) -> dict[int, float]:
    """Splits the batch: final outcomes stay in `result.outcomes`; returns the rows to give back with
    the pause (seconds) before they may be claimed again."""
    back: dict[int, float] = {}
    for row in claim.rows:
        outcome = result.outcomes.get(row)
        runs = attempts.get(row, 1)
        later = min(MAX_PAUSE_S, settings.watch_retry_pause_s * 2 ** (runs - 1))
        if outcome is None and result.failure and not STOP.requested:  # the account could not be worked (login
            # refused, portal down): not claimed again at once, by this host or another
            back[row] = later
        elif outcome is None or (outcome.result is Result.UNPROCESSED and not outcome.retry_later):
            result.outcomes.pop(row, None)
            back[row] = 0.0
        elif outcome.result is Result.UNPROCESSED and runs < settings.watch_retry_max:
            result.outcomes.pop(row)
            back[row] = later
    result.released = sorted(back)
    return back
