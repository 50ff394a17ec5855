"""The runner: works every valid row exactly once through portal workers, then waits for receipts.

Owns the per-row protocol (journal check → portal check → intent → submit → outcome), retries with
backoff for system errors, the consecutive-system-error brake, evidence of failed rows, and the
final-status reconciliation. It talks to the portal only through the `PortalClient` protocol
(implemented by flows.portal.PortalWorker); it knows no page.

Never hangs: each row attempt ends by `row_deadline_s`; a worker whose context stopped answering gets a
fresh one, and when the browser stopped answering it is restarted (`robot.engine.recovery`), at most
`max_recoveries` times a run; a watchdog logs what each worker waits for (`robot.engine.watchdog`).
A row still failing for a system reason after its attempts is 未处理 “待重试：…”, never 失败.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from loguru import logger
from playwright.async_api import BrowserContext

from robot.core.config import Settings
from robot.core.deadlines import bounded, label
from robot.core.errors import (
    DeadlineExceeded,
    LoginFailed,
    PageChanged,
    PassingError,
    PortalBusinessError,
    PortalSystemError,
    SessionExpired,
)
from robot.core.live import LIVE
from robot.core.logs import progress
from robot.core.model import (
    FINAL_STATUSES,
    STATUS_ACCEPTED,
    STATUS_DECLARED,
    STATUS_PENDING_RECEIPT,
    STATUS_REJECTED,
    Result,
    RowOutcome,
    Task,
)
from robot.core.portal import PortalClient, SupplementRecord
from robot.engine.journal import Journal
from robot.engine.page_changes import PageChange, PageChanges
from robot.engine.reconcile import reconcile_journal
from robot.engine.recovery import BrowserStuck, Recoveries, TooManyRecoveries
from robot.engine.watchdog import Watchdog
from robot.session.browser import BrowserSession, RowEvidence, watch_crashes

T = TypeVar("T")
NOT_FOUND = "在审核通过的证书中未找到该证明号（请核对证明号、签证机构及筛选条件）"
ENTERING = "进入门户（登录、打开应用）"
RECONCILING = "对账（补录信息查询）"
FINDING = "查询证书（报关单号补录）"
READING_BACK = "读取补录信息查询"
FILLING = "打开并填写补录对话框"
SENDING = "【提交】"
RECEIPTS = "读取海关回执（补录信息查询）"
"""The steps of the row protocol as a person names them (a changed page says which one)."""
RETRY_LATER = "待重试"
"""说明 of a row left 未处理 by system errors: it starts with this word (the run exits 3; run again)."""


WorkerFactory = Callable[[BrowserContext], PortalClient]


def first_line(error: BaseException) -> str:
    """An error's first line (Playwright appends the browser's whole log to some)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class RunAborted(Exception):
    """Too many consecutive system errors, or login impossible: exit code 3."""


@dataclass
class Runner:
    settings: Settings
    journal: Journal
    run_id: int
    session: BrowserSession
    make_worker: WorkerFactory
    evidence_dir: Path
    dry_run: bool = False
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    portal_entries: dict[str, dict[str, str]] = field(default_factory=dict)
    """This run's certificates as 补录信息查询 shows them (for the report's sheet 补录信息)."""
    abort_reason: str = ""
    page_change: PageChange | None = None
    """Set when the same guide element was missing twice: the run stopped (exit code 6, PAGE_CHANGED)."""
    initial_state: dict | None = None
    """Saved login (Playwright storage state) the first worker starts with; None = log in."""
    save_state: Callable[[dict], None] | None = None
    """Keeps the login between runs: called with the storage state after each (re)login."""
    _workers: list[PortalClient] = field(default_factory=list)
    _crashed: set[int] = field(default_factory=set)
    """ids of contexts that crashed or closed: their worker gets a fresh context before its next row."""
    _generation: dict[int, int] = field(default_factory=dict)
    """Browser generation each worker's context was made in (id(context) → generation)."""
    _login_state: dict | None = None
    """The latest login (storage state) read from a worker: a fresh context or browser starts with it."""
    _recoveries: Recoveries | None = None
    _watchdog: Watchdog | None = None
    _consecutive_errors: int = 0
    _page_changes: PageChanges = field(default_factory=PageChanges)
    _doing: dict[int, str] = field(default_factory=dict)
    """What each row in flight is doing (row → the step's Chinese name), to name a changed page."""
    _last_submit: float = 0.0
    _submit_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, tasks: list[Task]) -> dict[int, RowOutcome]:
        """Works all tasks; returns an outcome per row (unprocessed rows when aborted say so)."""
        queue: asyncio.Queue[Task] = asyncio.Queue()
        for task in sorted(tasks, key=lambda t: (t.authority.code, t.row)):
            queue.put_nowait(task)
        started = datetime.now()
        LIVE.begin(len(tasks))
        label("工作窗口1")  # what the watchdog calls the first worker; each further one names itself
        self._login_state = self.initial_state
        self._recoveries = Recoveries(self.settings.max_recoveries)
        self._watchdog = Watchdog(self.settings.watchdog_s, self.settings.stall_limit_s, self._stalled)
        watching = asyncio.create_task(self._watchdog.run(), name="watchdog")
        try:
            primary = await self._bounded(self._fresh_worker(self.initial_state))
            await self._save_login(primary)
            self._workers = [primary]
            with contextlib.suppress(RunAborted):  # a stop during it leaves the rows unprocessed
                await self._bounded(self._reconcile_earlier(primary, {t.key for t in tasks}))
            extra = min(self.settings.workers, len(tasks)) - 1
            state = self._login_state if extra > 0 else None
            with progress(len(tasks), "补录") as bar, contextlib.suppress(RunAborted):
                # The first worker starts on the rows at once; the others join as soon as they are in.
                joining = (self._join(state, queue, bar) for _ in range(max(0, extra)))
                await self._bounded(self._all_workers(self._drain(0, queue, bar), *joining))
        finally:
            self._watchdog.close()
            watching.cancel()
        for task in tasks:
            note = f"运行中止（{self.abort_reason}），再次运行将继续"
            self.outcomes.setdefault(task.row, RowOutcome(task.row, Result.UNPROCESSED, note))
        if not self.stop.is_set():  # stopping: the 10 s promise matters more than a last save
            await self._save_login(self._workers[0])
        if not self.dry_run and not self.stop.is_set():
            with contextlib.suppress(RunAborted):
                await self._bounded(self._await_receipts(self._workers[0], tasks, started.date()))
        return self.outcomes

    async def _bounded(self, work: Awaitable[T]) -> T:
        """Awaits `work`; once `stop` is set it gets stop_grace_s more, then is cancelled (RunAborted).
        Cancelling is safe for the journal: a row cancelled after its intent is looked up next run."""
        job = asyncio.ensure_future(work)
        stopping = asyncio.ensure_future(self.stop.wait())
        try:
            await asyncio.wait({job, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not job.done():
                await asyncio.wait({job}, timeout=self.settings.stop_grace_s)
            if not job.done():
                logger.warning("停止：取消仍在进行的操作")
                job.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await job
                raise RunAborted(self.abort_reason or "运行已停止")
            return job.result()
        finally:
            stopping.cancel()

    def abort(self, reason: str) -> None:
        """Stops the run (rows in flight end, nothing new is sent); the first reason given is kept."""
        self.abort_reason = self.abort_reason or reason
        self.stop.set()

    def _page_changed(self, error: Exception, step: str) -> PageChange | None:
        """The page change when `error` is the second miss of the same guide element (the run is stopped)."""
        change = self._page_changes.missed(error, step)
        if change is not None and self.page_change is None:
            self.page_change = change
            logger.warning("停止处理其余行：{}", change.short())
            self.abort(change.short())
        return change

    def _stalled(self, seconds: float) -> None:
        """The watchdog saw no progress for stall_limit_s: stop the run (exit code 3, rerun resumes)."""
        self.abort_reason = self.abort_reason or f"运行停滞：{seconds:.0f} 秒没有任何进展"
        self.stop.set()

    async def _login_of(self, worker: PortalClient) -> dict | None:
        """The worker's login (storage state), bounded; None when its context does not answer."""
        try:
            state = await bounded(worker.context.storage_state(), self.settings.browser_deadline_s, "读取登录状态")
        except Exception as error:  # a closed, crashed or stuck context: the last good login will do
            logger.debug("storage state not read: {}", first_line(error))
            return None
        self._login_state = state
        return state

    async def _save_login(self, worker: PortalClient) -> None:
        state = await self._login_of(worker)
        if self.save_state is None or state is None:
            return
        try:
            self.save_state(state)
        except Exception as error:
            logger.debug("login state not saved: {}", first_line(error))

    async def _recycle(self, index: int, reason: str) -> PortalClient:
        """Replaces worker `index` by a fresh browser context carrying the same login."""
        old = self._workers[index]
        state: dict | None = None
        if self._generation.get(id(old.context)) == self.session.generation:  # else it died with its browser
            state = await self._login_of(old)
            try:
                await bounded(old.context.close(), self.settings.browser_deadline_s, "关闭旧的浏览器上下文")
            except Exception as error:
                logger.debug("closing the old context: {}", first_line(error))
        logger.info("更换浏览器上下文（{}）", reason)
        self._workers[index] = await self._fresh_worker(state)
        await self._save_login(self._workers[index])
        return self._workers[index]

    async def _fresh_worker(self, state: dict | None) -> PortalClient:
        """A new context with a connected worker. A context that stops answering is replaced, a browser
        that stops answering is restarted; each counts against max_recoveries (then RunAborted)."""
        assert self._recoveries is not None
        while True:
            if self.stop.is_set() and self._workers:  # stopping: no new browser work
                raise RunAborted(self.abort_reason or "运行已停止")
            generation = self.session.generation
            try:
                return await self._start_worker(state or self._login_state)
            except DeadlineExceeded as error:
                try:
                    self._recoveries.count(error)
                except TooManyRecoveries as spent:
                    self.abort_reason = self.abort_reason or str(spent)
                    self.stop.set()
                    raise RunAborted(str(spent)) from error
                if isinstance(error, BrowserStuck):
                    await self._recoveries.restart_browser(self.session, generation)
            except Exception as error:
                if self.session.generation == generation:
                    raise
                logger.info("浏览器已重新启动，重新进入门户（{}）", first_line(error))  # by another worker

    async def _recover(self, index: int, error: Exception) -> None:
        """The worker's context stopped answering (a deadline passed) or died: a fresh one, counted."""
        assert self._recoveries is not None
        try:
            self._recoveries.count(error)
        except TooManyRecoveries as spent:
            self.abort_reason = self.abort_reason or str(spent)
            self.stop.set()
            raise RunAborted(str(spent)) from error
        await self._recycle(index, f"无响应：{error}")

    async def _reconcile_earlier(self, worker: PortalClient, skip: set[str]) -> None:
        """Before new work: one pass over earlier rows whose final 补录状态 is not known yet."""
        try:
            await reconcile_journal(worker, self.journal, skip)
        except Exception as raw:
            error = worker.explain(raw)
            logger.warning("对账未完成（下次继续）：{}", error)
            if self._page_changed(error, RECONCILING) is not None:
                return
            if isinstance(error, DeadlineExceeded) or self._context_gone(worker):
                await self._recover(0, error)
            else:
                await worker.reset()

    async def _start_worker(self, storage_state: dict | None) -> PortalClient:
        """A new context and its worker, connected (login, application). Raises BrowserStuck when not even
        the context comes, DeadlineExceeded when the context stops answering (it is closed then)."""
        try:
            context = await self.session.new_context(storage_state=storage_state)
        except DeadlineExceeded as error:
            raise BrowserStuck(str(error)) from error
        watch_crashes(context, lambda: self._crashed.add(id(context)))
        context.on("close", lambda _context: self._crashed.add(id(context)))
        self._generation[id(context)] = self.session.generation
        worker = self.make_worker(context)
        # some 7 pages, each may 5xx; at least two tries, so one glitch on the first page never ends the run
        attempts = max(2, self.settings.row_attempts + self.settings.request_retries)
        for attempt in range(1, attempts + 1):
            try:
                await worker.connect()
                if self._watchdog is not None:
                    self._watchdog.progressed()
                return worker
            except LoginFailed:
                raise
            except DeadlineExceeded:
                with contextlib.suppress(Exception):
                    await bounded(context.close(), self.settings.browser_deadline_s, "关闭无响应的浏览器上下文")
                raise
            except Exception as error:
                if self._generation[id(context)] != self.session.generation:
                    raise  # its browser was restarted meanwhile: the caller starts again in the new one
                explained = worker.explain(error)
                logger.warning("connecting failed (attempt {}): {}", attempt, explained)
                change = self._page_changed(explained, ENTERING)
                if change is not None:
                    raise RunAborted(change.short()) from error
                if attempt == attempts:
                    raise RunAborted(f"无法进入门户：{explained}") from error
                await self._backoff(attempt)
        raise RunAborted("无法进入门户")

    async def _all_workers(self, *drains: Awaitable[None]) -> None:
        """Runs the workers to the end together. One that fails stops the others after their current
        row (never mid-row), so no worker goes on unseen; the first unexpected error is raised then."""

        async def guarded(drain: Awaitable[None]) -> None:
            try:
                await drain
            except Exception as error:
                self.abort_reason = self.abort_reason or str(error) or type(error).__name__
                self.stop.set()
                raise

        outcomes = await asyncio.gather(*(guarded(d) for d in drains), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException) and not isinstance(outcome, RunAborted):
                raise outcome
        if any(isinstance(outcome, RunAborted) for outcome in outcomes):
            raise RunAborted(self.abort_reason)

    async def _join(self, state: dict | None, queue: asyncio.Queue[Task], bar: Any) -> None:
        """One more worker (same login): connects, then takes rows until the queue is empty.
        One that cannot get in leaves the rows to the others."""
        if queue.empty() or self.stop.is_set():
            return
        label(f"工作窗口{len(self._workers) + 1}+")  # its number is known once it is in
        try:
            worker = await self._fresh_worker(state)
        except Exception as error:  # RunAborted, LoginFailed, or the browser refusing a new context
            logger.warning("附加工作窗口未能进入门户，其余窗口继续：{}", error)
            return
        self._workers.append(worker)
        await self._drain(len(self._workers) - 1, queue, bar)

    async def _drain(self, index: int, queue: asyncio.Queue[Task], bar: Any) -> None:
        label(f"工作窗口{index + 1}")
        rows = 0
        while not self.stop.is_set():
            try:
                task = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            worker = self._workers[index]
            every = self.settings.recycle_every_rows
            if self._context_gone(worker):
                worker = await self._recycle(index, "页面崩溃或浏览器已重启")
            elif every > 0 and rows and rows % every == 0:
                worker = await self._recycle(index, f"已处理 {rows} 行")
            rows += 1
            LIVE.working(task.row, task.cert_no)
            outcome = await self._work(index, task)
            self.outcomes[task.row] = outcome
            LIVE.finished(task.row, outcome.result.value)
            # A row just sent is not 成功 yet (已提交，待回执): the customs' receipt decides.
            logger.info("第{}行 {} {}：{}", task.row, task.cert_no, outcome.result.value, outcome.message)
            bar.update(1)
            if self._watchdog is not None:
                self._watchdog.progressed()

    def _context_gone(self, worker: PortalClient) -> bool:
        """The worker's context crashed or closed, or died with a browser that was restarted."""
        context = worker.context
        return id(context) in self._crashed or self._generation.get(id(context)) != self.session.generation

    async def _work(self, index: int, task: Task) -> RowOutcome:
        entry = self.journal.get(task.key)
        if entry is not None and entry.state == "submitted":
            note = f"已补录：第{entry.run_id}次运行已提交，未重复提交"
            if entry.status == STATUS_REJECTED:  # done once already, but the customs refused it
                reason = entry.message or "门户未给出原因"
                return self._outcome(task, Result.FAILED, f"{note}；海关接收失败：{reason}", entry.status)
            return self._outcome(task, Result.SKIPPED, note, entry.status)
        worker = self._workers[index]
        evidence = RowEvidence(worker.context, self.evidence_dir, self.settings.browser_deadline_s)
        await evidence.start()
        attempt = 0
        relogin = False
        while True:
            attempt += 1
            if worker is not self._workers[index]:  # recovered: a fresh context, so a fresh trace
                worker = self._workers[index]
                evidence = RowEvidence(worker.context, self.evidence_dir, self.settings.browser_deadline_s)
                await evidence.start()
            try:
                outcome = await bounded(self._try_row(worker, task, evidence, relogin), self.settings.row_deadline_s,
                                        f"第{task.row}行（{task.cert_no}）第{attempt}次尝试")
                self._consecutive_errors = 0
                await evidence.discard()
                return outcome
            except PortalBusinessError as error:
                self._consecutive_errors = 0
                self.journal.record_failed(self.run_id, task, str(error))
                files = await self._keep(worker, evidence, task)
                return self._outcome(task, Result.FAILED, str(error), evidence=files)
            except LoginFailed as error:
                self.abort_reason = str(error)
                self.stop.set()
                await evidence.discard()
                return self._outcome(task, Result.UNPROCESSED, str(error))
            except Exception as raw:
                error = worker.explain(raw)
                if not isinstance(error, PortalSystemError):
                    raise
                change = self._page_changed(error, self._doing.get(task.row, "处理该行"))
                if change is not None or (self.page_change is not None and isinstance(error, PageChanged)):
                    files = await self._keep(worker, evidence, task)
                    evidence.abandon()
                    note = f"运行中止（{self.abort_reason}），未提交，再次运行将继续"
                    return self._outcome(task, Result.UNPROCESSED, note, evidence=files)
                relogin = isinstance(error, SessionExpired)
                self._consecutive_errors += 1
                logger.warning("第{}行 系统错误（第{}次）：{}", task.row, attempt, error)
                if self._consecutive_errors >= self.settings.max_consecutive_system_errors:
                    self.abort_reason = f"连续 {self._consecutive_errors} 次系统错误"
                    self.stop.set()
                stuck = isinstance(error, DeadlineExceeded) or self._context_gone(worker)
                if self.stop.is_set() or attempt >= self.settings.row_attempts:
                    files = [] if stuck else await self._keep(worker, evidence, task)
                    evidence.abandon()
                    note = f"{RETRY_LATER}：{error}（已尝试{attempt}次，再次运行将继续）"
                    return self._outcome(task, Result.UNPROCESSED, note, evidence=files)
                if await self._after_system_error(index, worker, evidence, error):
                    attempt -= 1  # the browser's fault, now mended: the row keeps its attempts (recoveries are capped)
                await self._backoff(max(1, attempt))

    async def _try_row(self, worker: PortalClient, task: Task, evidence: RowEvidence, relogin: bool) -> RowOutcome:
        """One attempt of a row: (re)connect when needed, then the row protocol."""
        async with evidence.paused():
            await worker.ensure_connected()
            if relogin:  # the portal sent us to its login page: keep the renewed login
                await self._save_login(worker)
        return await self._attempt(worker, task)

    async def _after_system_error(self, index: int, worker: PortalClient, evidence: RowEvidence,
                                  error: Exception) -> bool:
        """Gets the worker ready for the next attempt, as cheaply as the error allows. True when the worker
        was recovered from a browser that stopped answering (a fresh context or browser)."""
        if self._context_gone(worker):  # crashed, or its browser was restarted: a fresh context
            evidence.abandon()
            await self._recycle(index, "页面崩溃或浏览器已重启")
            return False
        if not isinstance(error, DeadlineExceeded | PassingError | SessionExpired) and not await worker.responsive():
            error = DeadlineExceeded(f"页面无响应（{error}）")
        if isinstance(error, DeadlineExceeded):  # the context (or the browser) stopped answering
            evidence.abandon()
            await self._recover(index, error)
            return True
        if isinstance(error, PassingError):
            logger.info("门户请求临时失败，不重新载入应用，稍后从当前页面重试")
        else:  # a broken page (or an expired session): reload the application, or log in again
            async with evidence.paused():
                await worker.reset(session_expired=isinstance(error, SessionExpired))
        return False

    async def _attempt(self, worker: PortalClient, task: Task) -> RowOutcome:
        entry = self.journal.get(task.key)
        if entry is not None and entry.state == "intent":
            # A submit may have been sent before a crash or an error: the portal decides.
            self._doing[task.row] = READING_BACK
            match = await self._portal_match(worker, task, include_rejected=True)
            if match is not None:
                self.journal.record_submitted(self.run_id, task, match.status)
                note = "上次已提交（门户已有此补录记录），未重复提交"
                if match.status == STATUS_REJECTED:
                    reason = await worker.failure_reason(task)
                    self.journal.record_status(task.key, match.status, reason)
                    return self._outcome(task, Result.FAILED, f"{note}；海关接收失败：{reason or '门户未给出原因'}",
                                         match.status)
                result = Result.SUCCESS if match.status == STATUS_ACCEPTED else Result.SUBMITTED
                return self._outcome(task, result, note, match.status)
        self._doing[task.row] = FINDING
        found = await worker.find_certificate(task)
        if found is None:
            raise PortalBusinessError(NOT_FOUND)
        if found.already_supplemented:
            self._doing[task.row] = READING_BACK
            match = await self._portal_match(worker, task, include_rejected=False)
            if match is not None:
                if not self.dry_run:
                    self.journal.record_submitted(self.run_id, task, match.status)
                note = f"已补录：门户已有相同报关单号的补录（{match.submitted_at}），未重复提交"
                return self._outcome(task, Result.SKIPPED, note, match.status)
        self._doing[task.row] = FILLING
        await worker.prepare(found, task)  # open and fill the dialog outside the lock: workers overlap
        if self.dry_run:
            await worker.cancel()
            return self._outcome(task, Result.SKIPPED, "试运行：已填写但未提交")
        await self._submit_slot()
        if self.stop.is_set():  # stopped while waiting for the slot: nothing new is sent after a stop
            await worker.cancel()
            note = f"运行中止（{self.abort_reason or '已停止'}），未提交，再次运行将继续"
            return self._outcome(task, Result.UNPROCESSED, note)
        self.journal.record_intent(self.run_id, task)
        self._doing[task.row] = SENDING
        message = await worker.send()
        self.journal.record_submitted(self.run_id, task, STATUS_DECLARED)
        return self._outcome(task, Result.SUBMITTED, message, STATUS_DECLARED)

    async def _portal_match(self, worker: PortalClient, task: Task, include_rejected: bool) -> SupplementRecord | None:
        records = [r for r in await worker.find_supplements(task) if r.matches(task)]
        if not include_rejected:
            records = [r for r in records if r.status != STATUS_REJECTED]
        if not records:
            return None
        latest = max(records, key=lambda r: r.submitted_at)
        self.portal_entries[task.key] = latest.fields
        return latest

    async def _submit_slot(self) -> None:
        """Politeness: the 【提交】 of all workers together start min_submit_interval_s apart.

        Only the spacing is serialised; the submits themselves overlap. Exactly-once needs no lock
        across workers: each certificate is one task (validation rejects a second row for it), and
        its own intent is journaled before its 【提交】.
        """
        async with self._submit_lock:
            gap = self.settings.min_submit_interval_s - (time.monotonic() - self._last_submit)
            if gap > 0:
                await self._pause(gap)
            self._last_submit = time.monotonic()

    async def _backoff(self, attempt: int) -> None:
        await self._pause(min(30.0, self.settings.backoff_s * 2 ** (attempt - 1)))

    async def _pause(self, seconds: float) -> None:
        """Waits, but returns at once when the run is being stopped (not a fixed sleep on a page)."""
        try:
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)
        except TimeoutError:
            pass

    async def _keep(self, worker: PortalClient, evidence: RowEvidence, task: Task) -> list[Path]:
        name = f"row{task.row}-{task.cert_no.replace('/', '_')}"
        try:
            files = await worker.evidence(self.evidence_dir, name)
        except Exception as error:  # evidence is a help, never a reason to lose the row's outcome
            logger.warning("screenshot failed: {}", error)
            files = []
        files += await evidence.keep_trace(name)
        return files

    def _outcome(self, task: Task, result: Result, message: str, status: str = "",
                 evidence: list[Path] | None = None) -> RowOutcome:
        return RowOutcome(task.row, result, message, status, datetime.now(), evidence or [])

    async def _await_receipts(self, worker: PortalClient, tasks: list[Task], since: date) -> None:
        """Waits, bounded by receipt_deadline_s, for each submitted row to reach a final 补录状态."""
        pending = {t.row: t for t in tasks if self.outcomes[t.row].status and
                   self.outcomes[t.row].status not in FINAL_STATUSES}
        deadline = time.monotonic() + self.settings.receipt_deadline_s
        while pending and not self.stop.is_set():
            try:
                async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
                    records = await worker.all_supplements(since)
                    for row, task in list(pending.items()):
                        matching = [r for r in records if r.matches(task)]
                        if not matching:
                            continue
                        latest = max(matching, key=lambda r: r.submitted_at)
                        self.portal_entries[task.key] = latest.fields
                        if latest.status in FINAL_STATUSES:
                            await self._final(worker, task, latest.status)
                            del pending[row]
            except TimeoutError:
                logger.warning("读取补录状态超过 receipt_deadline_s，其余行的状态留待下次对账")
                break
            except Exception as raw:  # the rows are done: trouble here only leaves statuses pending
                explained = worker.explain(raw)
                logger.warning("读取补录状态失败：{}", first_line(explained))
                if self._page_changed(explained, RECEIPTS) is not None:
                    break
                try:
                    async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
                        await worker.reset(session_expired=isinstance(explained, SessionExpired))
                        await worker.ensure_connected()
                except TimeoutError:
                    logger.warning("重新进入门户超过 receipt_deadline_s，其余行的状态留待下次对账")
                    break
                except Exception as again:
                    logger.warning("重新进入门户失败：{}", first_line(worker.explain(again)))
            if not pending or time.monotonic() >= deadline:
                break
            await self._pause(self.settings.receipt_poll_s)
        for task in pending.values():
            self.outcomes[task.row].status = STATUS_PENDING_RECEIPT

    async def _final(self, worker: PortalClient, task: Task, status: str) -> None:
        outcome = self.outcomes[task.row]
        outcome.status = status
        reason = ""
        if status == STATUS_REJECTED:
            reason = await worker.failure_reason(task)
            outcome.result = Result.FAILED
            outcome.message = f"已提交，但海关接收失败：{reason or '门户未给出原因'}"
            logger.info("第{}行 {} 失败：{}", task.row, task.cert_no, outcome.message)
        elif outcome.result == Result.SUBMITTED:
            outcome.result = Result.SUCCESS
            logger.info("第{}行 {} 成功：{}", task.row, task.cert_no, status)
        self.journal.record_status(task.key, status, reason)
