"""The runner: works every valid row exactly once through portal workers, then waits for receipts.

It joins three parts, each a module of its own: the worker pool (`robot.engine.pool`: contexts,
recycling, recovery), the row protocol (`robot.engine.row_protocol`: journal → read back → intent →
【提交】 → outcome) and the receipt watch (`robot.engine.receipts`); the stop, its reason and a changed
page are `robot.engine.control`. Here: the workers drain one queue, each row's attempts (retries with
backoff for system errors, the consecutive-system-error brake, evidence of failed rows), and the rows
that share one search worked down its result list (`robot.engine.list_work`; `search_mode`). It talks
to the portal only through the port `robot.core.portal.PortalClient`; it knows no page.

Never hangs: each row attempt ends by `row_deadline_s`; a worker whose context stopped answering gets a
fresh one, and when the browser stopped answering it is restarted, at most `max_recoveries` times with no
row worked in between;
a watchdog logs what each worker waits for (`robot.engine.watchdog`). A row still failing for a system
reason after its attempts is 未处理 “待重试：…” (Verdict.RETRY_LATER), never 失败.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from loguru import logger

from robot.core.config import Settings
from robot.core.deadlines import bounded, label
from robot.core.errors import (
    DeadlineExceeded,
    LoginFailed,
    PageChanged,
    PortalBusinessError,
    PortalSystemError,
    SessionExpired,
)
from robot.core.live import LIVE
from robot.core.logs import progress
from robot.core.model import Result, RowOutcome, Task
from robot.core.portal import Found, ListChanged, LoginState, PortalClient
from robot.engine.control import RunAborted, RunControl
from robot.engine.journal import Journal
from robot.engine.list_work import LIST_RESTARTS, ListGroup, plan
from robot.engine.page_changes import PageChange
from robot.engine.pool import WorkerFactory, WorkerPool
from robot.engine.receipts import ReceiptWatch
from robot.engine.reconcile import reconcile_journal
from robot.engine.row_protocol import FINDING, RowProtocol, outcome
from robot.engine.watchdog import Watchdog
from robot.session.browser import BrowserSession, RowEvidence

__all__ = ["RETRY_LATER", "RunAborted", "Runner", "WorkerFactory"]

RECONCILING = "对账（补录信息查询）"
RETRY_LATER = "待重试"
"""说明 of a row left 未处理 by system errors starts with this word (the run exits 3; run again)."""
Work = Task | ListGroup
"""What a worker takes from the queue: one row, or a group of rows to work down their result list."""


@dataclass
class Runner:
    settings: Settings
    journal: Journal
    run_id: int
    session: BrowserSession
    make_worker: WorkerFactory
    evidence_dir: Path
    dry_run: bool = False
    initial_state: LoginState | None = None
    """Saved login (Playwright storage state) the first worker starts with; None = log in."""
    save_state: Callable[[LoginState], None] | None = None
    """Keeps the login between runs: called with the storage state after each (re)login."""
    control: RunControl = field(init=False)
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    pool: WorkerPool = field(init=False)
    protocol: RowProtocol = field(init=False)
    _consecutive_errors: int = 0
    _rows: dict[int, int] = field(default_factory=dict)
    """Rows each worker has taken (for recycle_every_rows)."""

    def __post_init__(self) -> None:
        self.control = RunControl(self.settings)
        self.pool = WorkerPool(
            self.settings, self.session, self.make_worker, self.control, self.initial_state, self.save_state
        )
        self.protocol = RowProtocol(self.settings, self.journal, self.run_id, self.control, self.dry_run)

    @property
    def stop(self) -> asyncio.Event:
        return self.control.stop

    @property
    def abort_reason(self) -> str:
        return self.control.reason

    @property
    def page_change(self) -> PageChange | None:
        return self.control.page_change

    @property
    def portal_entries(self) -> dict[str, dict[str, str]]:
        """This run's certificates as 补录信息查询 shows them (for the report's sheet 补录信息)."""
        return self.protocol.portal_entries

    def abort(self, reason: str) -> None:
        """Stops the run (rows in flight end, nothing new is sent); the first reason given is kept."""
        self.control.abort(reason)

    async def run(self, tasks: list[Task]) -> dict[int, RowOutcome]:
        """Works all tasks; returns an outcome per row (unprocessed rows when aborted say so)."""
        queue: asyncio.Queue[Work] = asyncio.Queue()
        groups, singles = plan(tasks, self.settings.search_mode, lambda t: self.protocol.journaled(t) is not None)
        for group in groups:  # every worker may walk a group's list; each row is claimed by one of them
            for _ in range(min(self.settings.workers, len(group))):
                queue.put_nowait(group)
        for task in singles:
            queue.put_nowait(task)
        started = datetime.now()
        LIVE.begin(len(tasks))
        label("工作窗口1")  # what the watchdog calls the first worker; each further one names itself
        watchdog = Watchdog(self.settings.watchdog_s, self.settings.stall_limit_s, self._stalled)
        self.pool.watchdog = watchdog
        watching = asyncio.create_task(watchdog.run(), name="watchdog")
        try:
            primary = await self.control.bounded(self.pool.fresh(self.initial_state))
            await self.pool.save_login(primary)
            self.pool.workers = [primary]
            with contextlib.suppress(RunAborted):  # a stop during it leaves the rows unprocessed
                await self.control.bounded(self._reconcile_earlier(primary, {t.key for t in tasks}))
            extra = min(self.settings.workers, len(tasks)) - 1
            state = self.pool.login_state if extra > 0 else None
            with progress(len(tasks), "补录") as bar, contextlib.suppress(RunAborted):
                # The first worker starts on the rows at once; the others join as soon as they are in.
                joining = (self._join(state, queue, bar) for _ in range(max(0, extra)))
                await self.control.bounded(self._all_workers(self._drain(0, queue, bar), *joining))
        finally:
            watchdog.close()
            watching.cancel()
        for task in tasks:
            note = f"运行中止（{self.control.reason}），再次运行将继续"
            self.outcomes.setdefault(task.row, RowOutcome(task.row, Result.UNPROCESSED, note))
        if not self.control.stopping:  # stopping: the 10 s promise matters more than a last save
            await self.pool.save_login(self.pool.workers[0])
        if not self.dry_run and not self.control.stopping:
            receipts = ReceiptWatch(self.settings, self.journal, self.control, self.outcomes, self.portal_entries)
            with contextlib.suppress(RunAborted):
                await self.control.bounded(receipts.wait(self.pool.workers[0], tasks, started.date()))
        return self.outcomes

    def _stalled(self, seconds: float) -> None:
        """The watchdog saw no progress for stall_limit_s: stop the run (exit code 3, rerun resumes)."""
        self.abort(f"运行停滞：{seconds:.0f} 秒没有任何进展")

    async def _reconcile_earlier(self, worker: PortalClient, skip: set[str]) -> None:
        """Before new work: one pass over earlier rows whose final 补录状态 is not known yet."""
        try:
            await reconcile_journal(worker, self.journal, skip)
        except Exception as raw:
            error = worker.explain(raw)
            logger.warning("对账未完成（下次继续）：{}", error)
            if self.control.page_changed(error, RECONCILING) is not None:
                return
            if isinstance(error, DeadlineExceeded) or self.pool.gone(worker):
                await self.pool.recover(0, error)
            else:
                await worker.reset()

    async def _all_workers(self, *drains: Awaitable[None]) -> None:
        """Runs the workers to the end together. One that fails stops the others after their current
        row (never mid-row), so no worker goes on unseen; the first unexpected error is raised then."""

        async def guarded(drain: Awaitable[None]) -> None:
            try:
                await drain
            except Exception as error:
                self.abort(str(error) or type(error).__name__)
                raise

        outcomes = await asyncio.gather(*(guarded(d) for d in drains), return_exceptions=True)
        for result in outcomes:
            if isinstance(result, BaseException) and not isinstance(result, RunAborted):
                raise result
        if any(isinstance(result, RunAborted) for result in outcomes):
            raise RunAborted(self.control.reason)

    async def _join(self, state: LoginState | None, queue: asyncio.Queue[Work], bar: Any) -> None:
        """One more worker (same login): connects, then takes rows until the queue is empty.
        One that cannot get in leaves the rows to the others."""
        if queue.empty() or self.control.stopping:
            return
        label(f"工作窗口{len(self.pool.workers) + 1}+")  # its number is known once it is in
        try:
            worker = await self.pool.fresh(state)
        except Exception as error:  # RunAborted, LoginFailed, or the browser refusing a new context
            logger.warning("附加工作窗口未能进入门户，其余窗口继续：{}", error)
            return
        self.pool.workers.append(worker)
        await self._drain(len(self.pool.workers) - 1, queue, bar)

    async def _drain(self, index: int, queue: asyncio.Queue[Work], bar: Any) -> None:
        label(f"工作窗口{index + 1}")
        while not self.control.stopping:
            try:
                work = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if isinstance(work, ListGroup):
                await self._walk(index, work, bar)
            else:
                await self._row(index, work, bar)

    async def _row(self, index: int, task: Task, bar: Any, listed: Found | None = None) -> None:
        """One row to its outcome (`listed`: its certificate as a result page of the list shows it)."""
        worker = self.pool.workers[index]
        every = self.settings.recycle_every_rows
        rows = self._rows.get(index, 0)
        if self.pool.gone(worker):
            await self.pool.recycle(index, "页面崩溃或浏览器已重启")
        elif every > 0 and rows and rows % every == 0:
            await self.pool.recycle(index, f"已处理 {rows} 行")
        if self.pool.workers[index] is not worker:  # a fresh context shows no list
            listed = None
        self._rows[index] = rows + 1
        LIVE.working(task.row, task.cert_no)
        done = await self._work(index, task, listed)
        self.outcomes[task.row] = done
        LIVE.finished(task.row, done.result.value)
        # A row just sent is not 成功 yet (已提交，待回执): the customs' receipt decides.
        logger.info("第{}行 {} {}：{}", task.row, task.cert_no, done.result.value, done.message)
        bar.update(1)
        self.pool.progressed()

    async def _walk(self, index: int, group: ListGroup, bar: Any) -> None:
        """Works a group down its result list; what the list did not show is then searched row by row.
        A list that changed under the worker (or an error while listing) starts it over, at most
        LIST_RESTARTS times."""
        troubles = 0
        while group.pending and not self.control.stopping and troubles <= LIST_RESTARTS:
            worker = self.pool.workers[index]
            try:
                if await self._walk_once(index, worker, group, bar):
                    break
                if self.pool.workers[index] is worker:  # a new context (recycled) is no trouble
                    troubles += 1
            except Exception as raw:
                error = worker.explain(raw)
                if not isinstance(error, PortalSystemError):
                    raise
                troubles += 1
                if not isinstance(error, ListChanged) and not await self._list_trouble(index, worker, error):
                    return
        while not self.control.stopping and (task := group.claim_any()) is not None:
            await self._row(index, task, bar)

    async def _walk_once(self, index: int, worker: PortalClient, group: ListGroup, bar: Any) -> bool:
        """One walk down the list: True when it reached its end (or nothing is left to do), False when
        the list changed under it (the worker got a fresh context, a page no longer current)."""
        async with contextlib.aclosing(worker.list_pages(group.search)) as pages:
            async for page in pages:
                for cert_no, found in page.certificates.items():
                    if self.control.stopping:
                        return True
                    if cert_no not in group.pending:
                        continue
                    task = group.claim(cert_no)
                    assert task is not None
                    if not page.current():  # e.g. the last row read its status back by a search of its own
                        group.give_back(task)
                        return False
                    try:
                        await self._row(index, task, bar, found)
                    except BaseException:  # e.g. no fresh context: the row is not lost, it is worked later
                        if task.row not in self.outcomes:
                            group.give_back(task)
                        raise
                    if self.pool.workers[index] is not worker:
                        return False
                if not group.pending:
                    return True
        return True

    async def _list_trouble(self, index: int, worker: PortalClient, error: PortalSystemError) -> bool:
        """A system error while searching or turning the list's pages: the worker is healed for the
        next walk. False when the run stops (a changed page)."""
        if self.control.page_changed(error, FINDING) is not None:
            return False
        logger.warning("按结果列表补录时出错，重新查询：{}", error)
        self._consecutive_errors += 1
        if self._consecutive_errors >= self.settings.max_consecutive_system_errors:
            self.abort(f"连续 {self._consecutive_errors} 次系统错误")
            return False
        if self.pool.gone(worker):
            await self.pool.recycle(index, "页面崩溃或浏览器已重启")
        elif isinstance(error, DeadlineExceeded):
            await self.pool.recover(index, error)
        else:
            await worker.reset(session_expired=isinstance(error, SessionExpired))
        return True

    def _evidence(self, worker: PortalClient) -> RowEvidence:
        return RowEvidence(worker.context, self.evidence_dir, self.settings.browser_deadline_s)

    async def _work(self, index: int, task: Task, listed: Found | None = None) -> RowOutcome:
        """A row's attempts: the protocol, again after system errors (the worker healed between). A
        certificate `listed` is opened from the list's page; when the list changed, and after any error,
        the row is searched on its own."""
        earlier = self.protocol.journaled(task)
        if earlier is not None:
            return earlier
        worker = self.pool.workers[index]
        evidence = self._evidence(worker)  # started by each attempt, once it is logged in (`_try_row`)
        attempt = 0
        healed = 0
        relogin = False
        while True:
            attempt += 1
            if worker is not self.pool.workers[index]:  # recovered: a fresh context, so a fresh trace
                worker = self.pool.workers[index]
                evidence = self._evidence(worker)
            try:
                done = await bounded(
                    self._try_row(worker, task, evidence, relogin, listed),
                    self.settings.row_deadline_s,
                    f"第{task.row}行（{task.cert_no}）第{attempt}次尝试",
                )
                self._consecutive_errors = 0
                self.pool.recoveries.row_done()  # the browser worked a row: its recovery budget starts over
                await evidence.discard()
                return done
            except PortalBusinessError as failure:
                self._consecutive_errors = 0
                self.pool.recoveries.row_done()
                self.journal.record_failed(self.run_id, task, str(failure))
                files = await self._keep(worker, evidence, task)
                return outcome(task, Result.FAILED, str(failure), evidence=files)
            except LoginFailed as refused:
                self.abort(str(refused))
                await evidence.discard()
                return outcome(task, Result.UNPROCESSED, str(refused))
            except Exception as raw:
                explained = worker.explain(raw)
                if isinstance(explained, ListChanged) and listed is not None:
                    logger.info("第{}行：{}，单独查询该证书", task.row, explained)
                    listed = None  # not an attempt: the same row at once, by its own search
                    attempt -= 1
                    continue
                if not isinstance(explained, PortalSystemError):
                    raise
                error: PortalSystemError = explained
            listed = None  # after an error the page may show anything: the row's own search
            ended = await self._system_error(index, worker, evidence, task, attempt, error)
            if ended is not None:
                return ended
            relogin = isinstance(error, SessionExpired)
            if await self.pool.heal(index, worker, evidence, error):
                healed += 1  # the browser's fault, now mended: the row keeps its attempt, max_recoveries times
                attempt -= 1 if healed <= self.settings.max_recoveries else 0
            await self.control.backoff(max(1, attempt))

    async def _system_error(
        self,
        index: int,
        worker: PortalClient,
        evidence: RowEvidence,
        task: Task,
        attempt: int,
        error: PortalSystemError,
    ) -> RowOutcome | None:
        """Counts a system error (the brake, a changed page); the row's outcome when it ends here."""
        change = self.control.page_changed(error, self.protocol.doing.get(task.row, "处理该行"))
        if change is not None or (self.control.page_change is not None and isinstance(error, PageChanged)):
            files = await self._keep(worker, evidence, task)
            evidence.abandon()
            note = f"运行中止（{self.control.reason}），未提交，再次运行将继续"
            return outcome(task, Result.UNPROCESSED, note, evidence=files)
        self._consecutive_errors += 1
        logger.warning("第{}行 系统错误（第{}次）：{}", task.row, attempt, error)
        if self._consecutive_errors >= self.settings.max_consecutive_system_errors:
            self.abort(f"连续 {self._consecutive_errors} 次系统错误")
        if not self.control.stopping and attempt < self.settings.row_attempts:
            return None
        stuck = isinstance(error, DeadlineExceeded) or self.pool.gone(worker)
        files = [] if stuck else await self._keep(worker, evidence, task)
        evidence.abandon()
        note = f"{RETRY_LATER}：{error}（已尝试{attempt}次，再次运行将继续）"
        return outcome(task, Result.UNPROCESSED, note, evidence=files, retry_later=True)

    async def _try_row(
        self, worker: PortalClient, task: Task, evidence: RowEvidence, relogin: bool, listed: Found | None
    ) -> RowOutcome:
        """One attempt of a row: (re)connect when needed, then the row protocol, traced (the trace of an
        earlier attempt is dropped first: a login must never be traced)."""
        await evidence.discard()
        await worker.ensure_connected()
        if relogin:  # the portal sent us to its login page: keep the renewed login
            await self.pool.save_login(worker)
        await evidence.start()
        return await self.protocol.attempt(worker, task, listed)

    async def _keep(self, worker: PortalClient, evidence: RowEvidence, task: Task) -> list[Path]:
        name = f"row{task.row}-{task.cert_no.replace('/', '_')}"
        try:
            files = await worker.evidence(self.evidence_dir, name)
        except Exception as error:  # evidence is a help, never a reason to lose the row's outcome
            logger.warning("screenshot failed: {}", error)
            files = []
        files += await evidence.keep_trace(name)
        return files
