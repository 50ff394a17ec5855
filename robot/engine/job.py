"""One `corobot run`: input check, journal, browser work, result workbook, exit code.

Wires the runtime together: read_input → Runner (with flows.portal workers) → write_report.

Exit code precedence: 5 (stopped) > 3 (portal unusable, or rows left 未处理 “待重试” by system errors:
run again to resume) > 1 (rows failed for a business reason, or invalid) > 0.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loguru import logger

from robot import __version__
from robot.books.report import count_results, report_name, write_report
from robot.books.workbook_in import read_input
from robot.core.config import Settings
from robot.core.errors import InputFileError, LoginFailed, PortalSystemError
from robot.core.exit_codes import ExitCode
from robot.core.logs import setup_logging
from robot.core.model import Authority, InputWorkbook, Result, RowOutcome, RunSummary
from robot.engine.journal import JOURNAL_NAME, Journal, file_sha256
from robot.engine.runner import RETRY_LATER, RunAborted, Runner
from robot.engine.solvers import solver_factory
from robot.engine.stopping import STOP
from robot.session.browser import BrowserSession
from robot.session.session_store import load_session, save_session, session_path


@dataclass(frozen=True)
class RunRequest:
    workbook: Path
    sheet: str | None = None
    authority: Authority | None = None
    dry_run: bool = False
    verbose: bool = False


@dataclass
class RunResult:
    exit_code: ExitCode
    report: Path | None
    counts: dict[str, int]
    run_id: int | None = None
    note: str = ""
    """Why the input was unusable (exit code 2)."""
    aborted: bool = False
    """The run was cut short (portal unusable, stop): exit code 3 or 5 with rows never tried."""
    retry_rows: int = 0
    """Rows left 未处理 “待重试” by system errors after their attempts (exit code 3; the portal worked)."""


def run_job(settings: Settings, request: RunRequest) -> RunResult:
    started = datetime.now()
    out_dir = Path(settings.out_dir or request.workbook.parent)
    report_path = out_dir / report_name(request.workbook, started)
    setup_logging(report_path.with_suffix(".log"), request.verbose)
    logger.info("corobot {} run {} (portal {}, account {})", __version__, request.workbook,
                settings.portal_url, settings.username)
    logger.debug("settings: {}", settings.redacted())
    try:
        book = read_input(request.workbook, request.sheet, request.authority)
    except InputFileError as error:
        logger.error("输入文件无法使用：{}", error)
        return RunResult(ExitCode.INPUT_UNUSABLE, None, {}, note=str(error))
    for rejection in book.rejections:
        logger.warning("无效：{}", rejection.message())
    outcomes: dict[int, RowOutcome] = {}
    entries: list[dict[str, str]] = []
    exit_code = ExitCode.OK
    aborted = False
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    with Journal(settings.state_dir / JOURNAL_NAME) as journal:
        run_id = journal.start_run(request.workbook, file_sha256(request.workbook), request.dry_run)
        if book.tasks:
            try:
                problem = _missing_account(settings)
                if problem:
                    raise LoginFailed(problem)
                outcomes, entries, aborted = asyncio.run(
                    _work(settings, journal, run_id, book, report_path, request.dry_run))
                if aborted:
                    exit_code = ExitCode.PORTAL_UNAVAILABLE
            except (LoginFailed, RunAborted, PortalSystemError) as error:
                logger.error("门户无法操作：{}", error)
                exit_code = ExitCode.PORTAL_UNAVAILABLE
                aborted = True
                for task in book.tasks:
                    note = f"{error}（再次运行将继续）"
                    outcomes.setdefault(task.row, RowOutcome(task.row, Result.UNPROCESSED, note))
            if STOP.requested and exit_code == ExitCode.PORTAL_UNAVAILABLE:
                exit_code = ExitCode.STOPPED
        summary = RunSummary(started, datetime.now(), settings.portal_url, settings.username, __version__,
                             request.workbook, request.dry_run)
        write_report(report_path, book, outcomes, summary, portal_entries=entries)
        counts = count_results(book, outcomes)
        retry_rows = sum(1 for o in outcomes.values()
                         if o.result == Result.UNPROCESSED and o.message.startswith(RETRY_LATER))
        if exit_code == ExitCode.OK and retry_rows:
            logger.warning("{} 行因系统原因未完成（待重试）：再次运行将继续", retry_rows)
            exit_code = ExitCode.PORTAL_UNAVAILABLE
        if exit_code == ExitCode.OK and (counts.get(Result.FAILED.value) or counts.get(Result.INVALID.value)):
            exit_code = ExitCode.ROWS_FAILED
        journal.finish_run(run_id, counts, report_path, int(exit_code))
    _print_summary(book, counts, report_path, exit_code)
    return RunResult(exit_code, report_path, counts, run_id, aborted=aborted, retry_rows=retry_rows)


STOP_KILL_MARGIN_S = 1.5
"""After a stop, rows in flight get stop_grace_s; this much later a browser still running is killed."""


async def _work(settings: Settings, journal: Journal, run_id: int, book: InputWorkbook, report_path: Path,
                dry_run: bool) -> tuple[dict[int, RowOutcome], list[dict[str, str]], bool]:
    from flows.portal import PortalWorker

    make_solver = solver_factory(settings)
    evidence_dir = report_path.with_name(report_path.stem + "-证据")
    saved = session_path(settings.state_dir)
    keep = settings.keep_session and not settings.cdp_url  # with --cdp the operator's Chrome holds the login
    async with BrowserSession(settings) as session:
        runner = Runner(settings, journal, run_id, session,
                        lambda context: PortalWorker(context, settings, make_solver),
                        evidence_dir, dry_run, initial_state=load_session(saved) if keep else None,
                        save_state=(lambda state: save_session(saved, state)) if keep else None)
        loop = asyncio.get_running_loop()

        def stop_runner() -> None:
            runner.abort_reason = runner.abort_reason or STOP.reason
            runner.stop.set()
            # Whatever the browser does, the robot is gone within 10 s: rows in flight get stop_grace_s,
            # then a browser still running (stuck, or slow to close) is killed with its process group.
            loop.call_later(settings.stop_grace_s + STOP_KILL_MARGIN_S, session.kill)

        unsubscribe = STOP.subscribe(lambda: loop.call_soon_threadsafe(stop_runner))
        try:
            outcomes = await runner.run(book.tasks)
        finally:
            unsubscribe()
        return outcomes, list(runner.portal_entries.values()), runner.stop.is_set()


def _missing_account(settings: Settings) -> str:
    """Why no login is possible before any browser starts, or "" when one is."""
    if settings.cdp_url or (settings.username and settings.password):
        return ""
    if settings.keep_session and session_path(settings.state_dir).exists():
        return ""
    return ("未配置门户账号：请在 corobot.toml 或环境变量 CO_PORTAL_URL、CO_USERNAME、CO_PASSWORD 中设置，"
            "或先运行 corobot login 保存登录")


def _print_summary(book: InputWorkbook, counts: dict[str, int], report: Path, code: ExitCode) -> None:
    parts = "，".join(f"{k} {v}" for k, v in counts.items() if v or k == "合计")
    logger.info("汇总：{}", parts)
    logger.info("退出码：{} ({})", int(code), code.name)
