"""One robot host on the shared queue of several hosts (journal_url = postgresql://…; docs/hosts.md).

`corobot watch` and `corobot serve` make one when the journal is a PostgreSQL: a workbook taken from the
inbox (or uploaded) is checked as always and then `intake` puts its rows into the shared queue instead
of running it here; `drain` claims batches of rows of the accounts this host works (robot.core.
account_settings.host_accounts) and works them with the engine (robot.ops.host_batch), until nothing is
claimable; the host whose batch makes a workbook's last row final writes its report
(robot.ops.host_report). A heartbeat thread says the host is alive and renews its leases every third
of `queue_lease_s`. On a stop what the host holds goes back to the queue; a host that loses the database
stops claiming, records what it finished once the database answers again (robot.ops.db_link).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from loguru import logger
from playwright.async_api import BrowserContext

from robot.core.account_settings import host_accounts, host_name
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.exit_codes import worst as worst_of
from robot.core.model import InputWorkbook
from robot.core.portal import PortalClient, PortalWorkers
from robot.engine.stopping import STOP
from robot.ops.db_link import LINK_ERRORS, DatabaseGone, DbLink
from robot.ops.host_batch import book_file, read_book, run_batch, settle
from robot.ops.host_report import write_book_report
from robot.ops.notice import RunNotice
from robot.ops.notify import notify
from robot.store.db import engine_for
from robot.store.migrate import upgrade
from robot.store.queue import Book, Claim, SharedQueue


def shared(settings: Settings) -> bool:
    """True when the journal is a PostgreSQL shared by several hosts."""
    return settings.journal_url.startswith(("postgresql:", "postgresql+", "postgres:"))


class QueueHost:
    def __init__(self, settings: Settings, workers: PortalWorkers | None) -> None:
        self.settings = settings
        self.workers = workers
        self.name = host_name(settings)
        self.labels = [a.label for a in host_accounts(settings)]
        self.engine = engine_for(settings.journal_url, settings.state_dir)
        self.queue = SharedQueue(self.engine, self.name, settings.queue_lease_s)
        self.link = DbLink(settings, self.name)
        self._books: dict[int, tuple[Book, InputWorkbook]] = {}
        self._stop_beat = threading.Event()
        self._beat: threading.Thread | None = None

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> None:
        self.link.retrying(lambda: upgrade(self.engine))
        self.link.retrying(lambda: self.queue.heartbeat(self.labels))
        logger.info("主机 {} 加入共享队列（账号 {}）", self.name, "、".join(self.labels) or "无")
        self._beat = threading.Thread(target=self._beating, name="corobot-heartbeat", daemon=True)
        self._beat.start()

    def stop(self) -> None:
        self._stop_beat.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        try:
            released = self.link.call(self.queue.release_all)
            self.link.call(lambda: self.queue.heartbeat(self.labels, stopped=True))
        except LINK_ERRORS:
            logger.warning("主机 {} 退出时数据库无法连接：手上的行租约到期后由其他主机接手", self.name)
        else:
            if released:
                logger.info("主机 {} 退出：{} 行交还共享队列", self.name, released)
        self.engine.dispose()

    def _beating(self) -> None:
        every = max(0.2, self.settings.queue_lease_s / 3)
        while not self._stop_beat.wait(every):
            try:
                self.link.call(lambda: self.queue.heartbeat(self.labels))
            except LINK_ERRORS:
                continue  # logged and notified by the link; the next beat tries again

    # -- work ------------------------------------------------------------------------------------
    def intake(self, workbook: Path, sha: str, parsed: InputWorkbook, account: str | None) -> int:
        """Puts the checked workbook's valid rows into the shared queue; returns how many were new."""
        rows = [(r.row, r.account) for r in parsed.rows if r.task is not None and r.account]
        book_id, new = self.link.retrying(
            lambda: self.queue.enqueue(workbook.name, sha, workbook.read_bytes(), rows, account or "")
        )
        if not new:
            logger.info("{}：相同内容已在共享队列中（第 {} 号），不再加入", workbook.name, book_id)
            return 0
        logger.info("{}：{} 行加入共享队列（第 {} 号）", workbook.name, len(rows), book_id)
        if not rows:
            self._finish_book(book_id)
        return len(rows)

    def drain(self) -> ExitCode:
        """Claims and works batches until nothing is claimable, the portal fails, a stop or the database is
        lost; returns the highest exit code of the batches (OK when there was nothing)."""
        worst = ExitCode.OK
        while not STOP.requested and not self.link.lost:
            try:
                claim = self.link.call(lambda: self.queue.claim(self.labels, max(1, self.settings.queue_batch)))
            except LINK_ERRORS:
                break
            if claim is None:
                self._sweep()
                break
            try:
                code = self._work(claim)
            except DatabaseGone:
                return ExitCode.STOPPED
            except LINK_ERRORS as error:  # the batch's rows went back (or their leases lapse): wait for the link
                self.link.down(error)
                break
            except Exception:  # logged and its rows given back by _work: the host carries on, later
                return worst_of(worst, ExitCode.PORTAL_UNAVAILABLE)
            worst = worst_of(worst, code)
            if code in (ExitCode.PORTAL_UNAVAILABLE, ExitCode.STOPPED):
                break
        return worst

    def _work(self, claim: Claim) -> ExitCode:
        try:
            book, parsed = self._book(claim.book_id)
            evidence = Path(self.settings.inbox_dir) / "processing" / f"{Path(book.name).stem}-证据"
            result = run_batch(self.settings, self.queue, claim, book, parsed, self.workers or _no_portal, evidence)
        except BaseException as error:  # nothing of the batch is recorded: its rows go back, not held for ever
            logger.error(
                "主机 {}：第 {} 号的 {} 行中断（{}），交还队列",
                self.name,
                claim.book_id,
                len(claim.rows),
                type(error).__name__,
            )
            logger.opt(exception=error).debug("中断的详情")
            try:
                self.queue.release(claim, list(claim.rows), 0)
            except LINK_ERRORS:
                pass  # the database is away: the leases lapse and another host (or this one) takes the rows
            raise
        attempts = self.link.retrying(lambda: self.queue.attempts(claim))
        back = settle(self.settings, claim, result, attempts)
        done = self.link.retrying(lambda: self.queue.finish(claim, result.outcomes))
        for pause in sorted(set(back.values())):
            self._release(claim, [r for r, p in back.items() if p == pause], pause)
        logger.info(
            "主机 {}：{} 第 {} 号 {} 行完成，{} 行交还队列", self.name, book.name, book.id, len(done), len(back)
        )
        if done:
            self._finish_book(claim.book_id)
        if STOP.requested:
            return ExitCode.STOPPED
        return ExitCode.PORTAL_UNAVAILABLE if result.failure else ExitCode.OK

    def _release(self, claim: Claim, rows: list[int], pause: float) -> None:
        self.link.retrying(lambda: self.queue.release(claim, rows, pause))

    def _book(self, book_id: int) -> tuple[Book, InputWorkbook]:
        if book_id not in self._books:
            book = self.link.retrying(lambda: self.queue.book(book_id))
            assert book is not None
            content = self.link.retrying(lambda: self.queue.content(book_id))
            path = book_file(self.settings, book, content)
            self._books[book_id] = (book, read_book(self.settings, book, path))
        return self._books[book_id]

    def _finish_book(self, book_id: int) -> bool:
        """Writes the workbook's report when this host's batch made its last row final (or the sweep found
        it unreported); True when this host wrote it."""
        if not self.link.retrying(lambda: self.queue.complete(book_id)):
            return False
        book, parsed = self._book(book_id)
        now = datetime.now()
        report, code, counts = self.link.retrying(
            lambda: write_book_report(self.settings, self.queue, book, parsed, now)
        )
        logger.info("{}：全部行已完成，主机 {} 写出结果文件 {}（退出码 {}）", book.name, self.name, report, int(code))
        accounts = tuple(dict.fromkeys(r.account for r in parsed.rows if r.account))
        notify(
            self.settings, RunNotice(book.name, int(code), counts, report, str(report.parent), "", accounts, self.name)
        )
        self._books.pop(book_id, None)
        return True

    def _sweep(self) -> None:
        """Idle: writes the report of any workbook whose rows are all final but whose report nobody wrote
        (its last host died between recording its rows and writing it)."""
        try:
            for book_id in self.link.call(self.queue.unreported):
                if self._finish_book(book_id):
                    logger.info("主机 {}：第 {} 号工作簿原无人写出结果文件，已由本机写出", self.name, book_id)
        except LINK_ERRORS:
            pass  # logged and notified by the link; the next idle look tries again

    def finished(self, sha: str) -> Book | None:
        """The queued workbook of this content once its report is written (None: not queued, or not done)."""
        book = self.link.retrying(lambda: self.queue.book_by_sha(sha))
        return book if book is not None and book.report is not None else None

    def queued(self, sha: str) -> bool:
        return self.link.retrying(lambda: self.queue.book_by_sha(sha)) is not None

    def wait_until(self, fire: datetime, between: Callable[[], None]) -> bool:
        """Looks at the queue every queue_poll_s until `fire`, and calls `between` after each look (the
        inbox files workbooks finished meanwhile); True when stopped meanwhile."""
        while True:
            left = (fire - datetime.now().astimezone()).total_seconds()
            if left <= 0:
                return False
            if STOP.wait(min(left, self.settings.queue_poll_s)):
                return True
            self.drain()
            try:
                between()
            except LINK_ERRORS:
                continue


def _no_portal(context: BrowserContext, settings: Settings) -> PortalClient:
    raise RuntimeError("QueueHost without portal workers cannot reach the portal")
