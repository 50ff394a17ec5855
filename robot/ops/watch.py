"""`corobot watch`: takes finished workbooks from the inbox, runs each like `corobot run`, and files it
under done/ or failed/ with its report beside it; once (--once) or on a schedule (--every, --cron).

Each look at the inbox: first the workbook left in processing/ by a run cut short (crash, stop, portal
outage) is resumed (the journal makes that safe), then every ready dropped file, oldest first. A file
that is not .xlsx, or whose content (SHA-256) was taken before, or that cannot be read (robot.ops.inbox.read_check)
goes to failed/ with a note and is not run.
A run that ends with exit code 3 (portal) or 5 (stopped) leaves its file in processing/ for next time.
With several accounts each `inbox/<name>/` is looked at too, its rows going to that account
(robot.ops.account_inboxes).

A workbook whose only problems are rows 待重试 (system errors that outlasted the run's own retries) also
stays in processing/ and is run again at a later look, no sooner than `watch_retry_pause_s` after the
attempt (doubling each time); after `watch_retry_max` such runs it goes to failed/ with a note.

Exit code with --once: the highest of the files' exit codes (0 when there was nothing to do); without
--once watch runs until SIGTERM/Ctrl-C and then exits 0, or 5 when it had to cut a run short.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from loguru import logger
from playwright.async_api import BrowserContext

from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.exit_codes import worst as worst_of
from robot.core.logs import setup_logging
from robot.core.portal import PortalClient, PortalWorkers
from robot.engine.job import RunRequest, RunResult, run_job
from robot.engine.journal import file_sha256
from robot.engine.journal_open import journal_at
from robot.engine.stopping import STOP
from robot.ops.account_inboxes import account_inboxes
from robot.ops.db_link import LINK_ERRORS, DatabaseGone
from robot.ops.host import QueueHost, shared
from robot.ops.host_intake import file_finished, intake
from robot.ops.inbox import DONE, FAILED, PROCESSING, WORKBOOK_SUFFIX, Inbox, read_check, write_note
from robot.ops.inbox_ledger import InboxLedger
from robot.ops.notice import RunNotice
from robot.ops.notify import notify
from robot.ops.schedule import make_trigger, next_fire

WATCH_LOG = "watch.log"
MAX_RETRY_PAUSE_S = 86_400.0


@dataclass(frozen=True)
class WatchRequest:
    once: bool = False
    every: str | None = None
    cron: str | None = None
    verbose: bool = False


class Watcher:
    def __init__(self, settings: Settings, request: WatchRequest, workers: PortalWorkers | None = None) -> None:
        self.settings = settings
        self.request = request
        self.workers = workers
        """The composition root's portal workers (None only where no workbook is ever run, e.g. a test)."""
        self.inbox = Inbox(Path(settings.inbox_dir))
        self.account: str | None = None
        """The account of the inbox being looked at (None = the main inbox)."""
        self.last: RunResult | None = None
        """The result of the latest run (whether the portal could be worked at all)."""
        self.host = QueueHost(settings, workers) if shared(settings) else None
        """With a PostgreSQL journal: this host on the shared queue of several hosts (robot.ops.host)."""

    def log_to_watch_file(self) -> None:
        setup_logging(self.settings.state_dir / WATCH_LOG, self.request.verbose)

    def run(self) -> ExitCode:
        self.inbox.prepare()
        self.log_to_watch_file()
        if self.host is None:
            return self.run_looks()
        self.host.start()
        try:
            return self.run_looks()
        finally:
            self.host.stop()

    def run_looks(self) -> ExitCode:
        trigger = (
            None
            if self.request.once
            else make_trigger(
                self.request.every or (None if self.request.cron else self.settings.watch_every), self.request.cron
            )
        )
        logger.info(
            "corobot watch {}（{}）",
            self.inbox.root.resolve(),
            "一次"
            if trigger is None
            else (
                f"cron {self.request.cron}"
                if self.request.cron
                else f"每 {self.request.every or self.settings.watch_every}"
            ),
        )
        worst = ExitCode.OK
        while True:
            code = self.look_all()
            worst = worst_of(worst, code)
            if trigger is None or STOP.requested:
                break
            fire = next_fire(trigger, None)
            if fire is None:
                break
            logger.info("下次查看收件箱：{:%Y-%m-%d %H:%M:%S}", fire)
            if self.host is not None and self.host.wait_until(fire, self.file_queued):
                break
            if STOP.wait(max(0.0, (fire - datetime.now().astimezone()).total_seconds())):
                break
        if trigger is not None:
            return ExitCode.STOPPED if worst == ExitCode.STOPPED else ExitCode.OK
        return worst

    def look_all(self) -> ExitCode:
        """One look at every inbox (the main one, then each account's); the highest exit code."""
        worst = ExitCode.OK
        for account, folder in account_inboxes(self.settings):
            if STOP.requested:
                break
            self.inbox, self.account = Inbox(folder), account
            self.inbox.prepare()
            worst = worst_of(worst, self.look())
        return worst

    def look(self) -> ExitCode:
        """One look at the inbox (and, with a shared queue, at the queue); the highest exit code. With a
        shared queue, a database that does not answer ends the look (logged and notified once), not `watch`."""
        try:
            code = self.look_inbox()
            return code if self.host is None or STOP.requested else worst_of(code, self.host.drain())
        except DatabaseGone:  # stopped while waiting for the database
            return ExitCode.STOPPED
        except LINK_ERRORS as error:
            if self.host is None:
                raise
            self.host.link.down(error)
            return ExitCode.PORTAL_UNAVAILABLE

    def file_queued(self) -> None:
        """Several hosts: files the workbooks of processing/ whose report a host has written meanwhile."""
        assert self.host is not None
        with InboxLedger(self.settings.state_dir, self.settings.journal_url) as ledger:
            for _account, folder in account_inboxes(self.settings):
                inbox = Inbox(folder)
                for workbook in inbox.leftovers():
                    sha = file_sha256(workbook)
                    if self.host.queued(sha):
                        file_finished(self.host, inbox, ledger, workbook, sha)

    def look_inbox(self) -> ExitCode:
        """One look at the inbox; returns the highest exit code of the files handled."""
        worst = ExitCode.OK
        with InboxLedger(self.settings.state_dir, self.settings.journal_url) as ledger:
            for workbook in self.inbox.leftovers():
                sha = file_sha256(workbook)
                if self.host is not None and self.host.queued(sha):
                    worst = worst_of(worst, file_finished(self.host, self.inbox, ledger, workbook, sha))
                    continue
                runs, due = ledger.retry_due(sha)
                if due is not None and due > datetime.now().astimezone():
                    logger.info(
                        "{}：有待重试的行，第 {} 次重试定于 {:%Y-%m-%d %H:%M:%S}，届时再处理", workbook.name, runs, due
                    )
                    continue
                logger.info("继续上次未完成的文件：{}{}", workbook.name, f"（第 {runs} 次重试）" if runs else "")
                code = self.work(ledger, workbook, sha)
                worst = worst_of(worst, code)
                if self.portal_down(code) or STOP.requested:
                    return worst
            before = self.inbox.snapshot()
            if not before or STOP.wait(self.settings.inbox_settle_s):
                return worst
            for path in self.inbox.ready(before, self.inbox.snapshot()):
                if STOP.requested:
                    break
                code = self.take(ledger, path)
                worst = worst_of(worst, code)
                if self.portal_down(code):
                    break
        return worst

    def portal_down(self, code: ExitCode) -> bool:
        """Stop looking at further files: stopped, or the portal could not be worked at all (not merely
        some rows left 待重试)."""
        if code == ExitCode.STOPPED:
            return True
        if code == ExitCode.PAGE_CHANGED:
            return True
        return code == ExitCode.PORTAL_UNAVAILABLE and (self.last is None or self.last.aborted)

    def take(self, ledger: InboxLedger, path: Path) -> ExitCode:
        """A ready dropped file: reject it, report it as a repeat, or claim and run it."""
        if path.suffix.lower() != WORKBOOK_SUFFIX:
            kind = path.suffix or "无扩展名"
            reason = f"不是 .xlsx 工作簿（{kind}），未处理。请在 Excel 中另存为 .xlsx 后重新放入收件箱。"
            return self.refuse(path, reason, ExitCode.INPUT_UNUSABLE)
        sha = file_sha256(path)
        seen = ledger.get(sha)
        if seen is not None:
            when = f"{seen.finished_at or seen.taken_at:%Y-%m-%d %H:%M}"
            report = f"，报告 {seen.report}" if seen.report else ""
            reason = (
                f"与 {when} 已处理的 {seen.name} 内容完全相同（现在 {seen.placed}{report}），未再次运行。"
                f"如确需重新运行，请用 corobot run。"
            )
            return self.refuse(path, reason, ExitCode.ROWS_FAILED)
        placed = self.inbox.claim(path)
        if placed is None:
            logger.info("{} 仍被占用，下次再处理", path.name)
            return ExitCode.OK
        logger.info("开始处理：{}", path.name)
        return self.work(ledger, placed, sha)

    def refuse(
        self, path: Path, reason: str, code: ExitCode, ledger: InboxLedger | None = None, sha: str = ""
    ) -> ExitCode:
        placed = self.inbox.reject(path, reason)
        if ledger is not None:
            ledger.finish(sha, FAILED, placed, None, int(code))
        logger.warning("{} → failed/：{}", path.name, reason)
        notify(self.settings, RunNotice(path.name, int(code), {}, None, str(placed), reason))
        return code

    def work(self, ledger: InboxLedger, workbook: Path, sha: str) -> ExitCode:
        """Runs a workbook in processing/ like `corobot run`, then files it with its report."""
        ledger.take(sha, workbook.name, workbook)
        reason = read_check(workbook, self.settings, ledger, sha)
        if reason is not None:  # to failed/ before the next file is touched; never left in processing/
            ledger.clear_retry(sha)
            return self.refuse(workbook, reason, ExitCode.INPUT_UNUSABLE, ledger, sha)
        if self.host is not None:  # several hosts: the rows go to the shared queue, worked by `drain`
            return intake(self.host, workbook, sha, self.account)
        run_settings = replace(self.settings, out_dir=self.inbox.folder(PROCESSING))
        result = run_job(
            run_settings,
            RunRequest(workbook, verbose=self.request.verbose, account=self.account),
            workers=self.workers or no_portal,
        )
        self.last = result
        self.log_to_watch_file()  # also closes the run's log file so that it can be moved
        code = result.exit_code
        if code == ExitCode.PORTAL_UNAVAILABLE and not result.aborted and result.retry_rows:
            runs = ledger.retry_due(sha)[0] + 1
            if runs < self.settings.watch_retry_max:
                return self.retry_later(ledger, workbook, sha, result, runs)
            logger.warning(
                "{}：{} 行待重试，已运行 {} 次（上限 watch_retry_max），转入 failed/",
                workbook.name,
                result.retry_rows,
                runs,
            )
        elif code in (ExitCode.PORTAL_UNAVAILABLE, ExitCode.PAGE_CHANGED, ExitCode.STOPPED):
            logger.warning("{}：{}，文件留在 processing/，下次继续", workbook.name, code.name)
            if code != ExitCode.STOPPED:
                notify(self.settings, self.notice(workbook, result, result.report, workbook))
            return code
        # 已提交，待回执: nothing left to send; reconcile (also before the next run) reads the receipts
        folder = DONE if code in (ExitCode.OK, ExitCode.RECEIPTS_PENDING) else FAILED
        ledger.clear_retry(sha)
        placed, moved = self.inbox.file(workbook, folder)
        report = moved.get(result.report) if result.report else None
        if folder == FAILED:
            write_note(placed, failure_note(result, report))
        if result.run_id is not None and report is not None:
            with journal_at(self.settings) as journal:
                journal.move_report(result.run_id, report)
        ledger.finish(sha, folder, placed, report, int(code))
        # The run's own log named the files in processing/; say where they are now.
        logger.info("{} → {}（退出码 {}）；结果文件：{}", workbook.name, placed, int(code), report or "无")
        notify(self.settings, self.notice(placed, result, report, placed))
        return code

    def retry_later(self, ledger: InboxLedger, workbook: Path, sha: str, result: RunResult, runs: int) -> ExitCode:
        """Rows left 待重试 (the portal worked): the file stays in processing/ until its pause is over."""
        pause = min(MAX_RETRY_PAUSE_S, self.settings.watch_retry_pause_s * 2 ** (runs - 1))
        due = datetime.now().astimezone() + timedelta(seconds=pause)
        ledger.note_retry(sha, due)
        logger.warning(
            "{}：{} 行因系统原因待重试（第 {}/{} 次运行），文件留在 processing/，{:%Y-%m-%d %H:%M:%S} 后重试",
            workbook.name,
            result.retry_rows,
            runs,
            self.settings.watch_retry_max,
            due,
        )
        notify(self.settings, self.notice(workbook, result, result.report, workbook))
        return result.exit_code

    def notice(self, workbook: Path, result: RunResult, report: Path | None, placed: Path) -> RunNotice:
        where = f"{placed.parent.name}/{placed.name}"
        return RunNotice(
            workbook.name, int(result.exit_code), result.counts, report, where, result.note, result.accounts
        )


def no_portal(context: BrowserContext, settings: Settings) -> PortalClient:
    """The portal workers of a Watcher made without any (a test whose files never reach the portal)."""
    raise RuntimeError("Watcher without portal workers cannot reach the portal")


def failure_note(result: RunResult, report: Path | None) -> str:
    if result.exit_code == ExitCode.INPUT_UNUSABLE:
        return f"输入文件无法使用：{result.note}\n请按 corobot template 生成的模板修改后重新放入收件箱。"
    counts = "，".join(f"{k} {v}" for k, v in result.counts.items() if v)
    where = report.name if report else "日志"
    if result.exit_code == ExitCode.PORTAL_UNAVAILABLE and result.retry_rows:
        return (
            f"{result.retry_rows} 行因系统原因（门户临时出错）多次运行后仍未完成（{counts}），已达重试上限"
            f" watch_retry_max。已提交的行不会重复提交：稍后用 corobot run 运行本文件即可继续。"
            f"每行情况见同目录的结果文件 {where} 的 明细 表（处理结果、说明 两列）。"
        )
    return f"有失败或无效的行（{counts}）。每行的原因见同目录的结果文件 {where} 的 明细 表（处理结果、说明 两列）。"


def run_watch(settings: Settings, request: WatchRequest, workers: PortalWorkers | None = None) -> ExitCode:
    return Watcher(settings, request, workers).run()
