"""One `corobot run`: input check, journal, browser work, result workbook, exit code.

Wires the runtime together: read_input → accounts per row → one Runner per account (with the portal
workers the composition root passes in, robot.engine.account_runs) → write_report.

Exit code precedence: 5 (stopped) > 6 (a portal page changed: the same guide element missing twice;
run `corobot doctor`) > 3 (portal unusable, or rows left 未处理 “待重试” by system errors:
run again to resume) > 1 (rows failed for a business reason, or invalid) > 7 (rows 已提交，待回执: no
receipt read yet; `corobot reconcile` finishes them) > 0.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loguru import logger
from playwright.async_api import Error as PlaywrightError

from robot import __version__
from robot.books.account_column import assign_accounts
from robot.books.report import count_results, report_name, write_report
from robot.books.workbook_in import read_input
from robot.core.account_settings import accounts_of, find_account, settings_for
from robot.core.accounts import Account, password_env
from robot.core.config import Settings
from robot.core.errors import InputFileError, LoginFailed, PortalSystemError
from robot.core.exit_codes import ExitCode
from robot.core.logs import setup_logging
from robot.core.model import Authority, InputWorkbook, Result, RowOutcome, RunSummary, Verdict
from robot.core.portal import PortalWorkers
from robot.engine.account_runs import AccountWork, work_accounts
from robot.engine.control import first_line
from robot.engine.journal import file_sha256
from robot.engine.journal_open import open_journal
from robot.engine.runner import RunAborted
from robot.engine.stopping import STOP
from robot.session.session_store import session_path

BROWSER_FAILED = "浏览器意外出错（详情见日志文件）"


@dataclass(frozen=True)
class RunRequest:
    workbook: Path
    sheet: str | None = None
    authority: Authority | None = None
    dry_run: bool = False
    verbose: bool = False
    account: str | None = None
    """The run's account (--account NAME, or the inbox subfolder) for rows without a 账号."""


@dataclass
class RunResult:
    exit_code: ExitCode
    report: Path | None
    counts: dict[str, int]
    run_id: int | None = None
    note: str = ""
    """Why the input was unusable (exit code 2)."""
    accounts: tuple[str, ...] = ()
    """Labels of the accounts the run's rows went to."""
    aborted: bool = False
    """The run was cut short (portal unusable, page changed, stop): exit code 3, 6 or 5 with rows never tried."""
    retry_rows: int = 0
    """Rows left 未处理 “待重试” by system errors after their attempts (exit code 3; the portal worked)."""


def run_job(settings: Settings, request: RunRequest, *, workers: PortalWorkers) -> RunResult:  # noqa: C901
    """Runs the workbook of `request` with portal workers made by `workers` (the composition root's)."""
    started = datetime.now()
    out_dir = Path(settings.out_dir or request.workbook.parent)
    report_path = out_dir / report_name(request.workbook, started)
    setup_logging(report_path.with_suffix(".log"), request.verbose)
    logger.info(
        "corobot {} run {} (portal {}, account {})",
        __version__,
        request.workbook,
        settings.portal_url,
        settings.username,
    )
    logger.debug("settings: {}", settings.redacted())
    accounts = accounts_of(settings)
    run_account = find_account(accounts, request.account) if request.account else None
    if request.account and run_account is None:
        note = f"未配置的账号：{request.account}（已配置：{'、'.join(a.label for a in accounts)}）"
        logger.error(note)
        return RunResult(ExitCode.INPUT_UNUSABLE, None, {}, note=note)
    try:
        book = read_input(request.workbook, request.sheet, request.authority, settings=settings)
    except InputFileError as error:
        logger.error("输入文件无法使用：{}", error)
        return RunResult(ExitCode.INPUT_UNUSABLE, None, {}, note=str(error))
    assign_accounts(book, accounts, run_account)
    for rejection in book.rejections:
        logger.warning("无效：{}", rejection.message())
    works = _shares(settings, accounts, book)
    labels = tuple(w.account.label for w in works)
    outcomes: dict[int, RowOutcome] = {}
    entries: list[dict[str, str]] = []
    exit_code = ExitCode.OK
    aborted = False
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    with open_journal(settings) as journal:
        run_id = journal.start_run(request.workbook, file_sha256(request.workbook), request.dry_run, labels)
        ready = [w for w in works if not _refuse_early(w)]
        try:
            if ready:
                asyncio.run(
                    work_accounts(
                        settings, journal, run_id, ready, _evidence_dir(report_path), request.dry_run, workers
                    )
                )
        except (LoginFailed, RunAborted, PortalSystemError) as error:
            logger.error("门户无法操作：{}", error)
            for work in ready:
                work.failure = work.failure or str(error)
        except PlaywrightError as error:  # the browser failed outside any step: a system error, never a traceback
            logger.debug("browser error: {}", first_line(error))
            logger.error("门户无法操作：{}", BROWSER_FAILED)
            for work in ready:
                work.failure = work.failure or BROWSER_FAILED
        for work in works:
            outcomes.update(work.outcomes)
            entries.extend(work.entries)
            if work.failure:
                exit_code = ExitCode.PORTAL_UNAVAILABLE
                aborted = True
                note = f"账号 {work.account.label}：{work.failure}（再次运行将继续）"
                for task in work.tasks:
                    outcomes.setdefault(task.row, RowOutcome(task.row, Result.UNPROCESSED, note))
        changes = [w.page_change for w in works if w.page_change is not None]
        if changes:
            for change in changes:
                logger.error("{}", change.text())
            exit_code = ExitCode.PAGE_CHANGED
        if STOP.requested and exit_code in (ExitCode.PORTAL_UNAVAILABLE, ExitCode.PAGE_CHANGED):
            exit_code = ExitCode.STOPPED
        summary = RunSummary(
            started,
            datetime.now(),
            _joined(w.settings.portal_url for w in works) or settings.portal_url,
            _joined(_account_text(w) for w in works) or settings.username,
            __version__,
            request.workbook,
            request.dry_run,
        )
        write_report(report_path, book, outcomes, summary, portal_entries=entries)
        counts = count_results(book, outcomes)
        retry_rows = sum(1 for o in outcomes.values() if o.verdict is Verdict.RETRY_LATER)
        if exit_code == ExitCode.OK and retry_rows:
            logger.warning("{} 行因系统原因未完成（待重试）：再次运行将继续", retry_rows)
            exit_code = ExitCode.PORTAL_UNAVAILABLE
        if exit_code == ExitCode.OK and (counts.get(Result.FAILED.value) or counts.get(Result.INVALID.value)):
            exit_code = ExitCode.ROWS_FAILED
        if exit_code == ExitCode.OK and counts.get(Result.SUBMITTED.value):
            logger.warning(
                "{} 行已提交，尚未读到海关回执：corobot reconcile（或下次运行）将对账", counts[Result.SUBMITTED.value]
            )
            exit_code = ExitCode.RECEIPTS_PENDING
        journal.finish_run(run_id, counts, report_path, int(exit_code))
    _print_summary(book, counts, report_path, exit_code)
    return RunResult(exit_code, report_path, counts, run_id, accounts=labels, aborted=aborted, retry_rows=retry_rows)


def _shares(settings: Settings, accounts: list[Account], book: InputWorkbook) -> list[AccountWork]:
    """The valid rows grouped by account, in the order the accounts are configured."""
    works = []
    for account in accounts:
        tasks = [r.task for r in book.rows if r.task is not None and r.account == account.label]
        if tasks:
            works.append(AccountWork(account, settings_for(settings, account), tasks))
    return works


def _refuse_early(work: AccountWork) -> bool:
    """True (and the reason set) when the account cannot log in at all; checked before any browser."""
    work.failure = _missing_account(work.settings)
    if work.failure:
        logger.error("账号 {}：{}", work.account.label, work.failure)
    return bool(work.failure)


def _evidence_dir(report_path: Path) -> Path:
    return report_path.with_name(report_path.stem + "-证据")


def _account_text(work: AccountWork) -> str:
    label, username = work.account.label, work.settings.username
    return label if label == username or not username else f"{label}（{username}）"


def _joined(values: Iterable[str]) -> str:
    return "、".join(dict.fromkeys(v for v in values if v))


def _missing_account(settings: Settings) -> str:
    """Why no login is possible before any browser starts, or "" when one is."""
    if settings.cdp_url or (settings.username and settings.password):
        return ""
    if settings.keep_session and session_path(settings.state_dir, settings.account).exists():
        return ""
    if settings.account:
        return (
            f"账号 {settings.account} 没有密码：请设置环境变量 {password_env(settings.account)} 或"
            f"系统钥匙串（python -m keyring set corobot {settings.username}），或先运行 corobot login --account "
            f"{settings.account} 保存登录"
        )
    return (
        "未配置门户账号：请在 corobot.toml 或环境变量 CO_PORTAL_URL、CO_USERNAME、CO_PASSWORD 中设置，"
        "或先运行 corobot login 保存登录"
    )


def _print_summary(book: InputWorkbook, counts: dict[str, int], report: Path, code: ExitCode) -> None:
    parts = "，".join(f"{k} {v}" for k, v in counts.items() if v or k == "合计")
    logger.info("汇总：{}", parts)
    logger.info("退出码：{} ({})", int(code), code.name)
