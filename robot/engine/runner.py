"""The runner: works every valid row exactly once through portal workers, then waits for receipts.

Owns the per-row protocol (journal check → portal check → intent → submit → outcome), retries with
backoff for system errors, the consecutive-system-error brake, evidence of failed rows, and the
final-status reconciliation. It talks to the portal only through the `PortalClient` protocol
(implemented by flows.portal.PortalWorker); it knows no page.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from loguru import logger
from playwright.async_api import BrowserContext

from robot.core.config import Settings
from robot.core.errors import LoginFailed, PortalBusinessError, PortalSystemError, SessionExpired
from robot.core.live import LIVE
from robot.core.logs import progress
from robot.core.model import (
    FINAL_STATUSES,
    STATUS_DECLARED,
    STATUS_PENDING_RECEIPT,
    STATUS_REJECTED,
    Result,
    RowOutcome,
    Task,
)
from robot.engine.journal import Journal
from robot.engine.reconcile import reconcile_journal
from robot.session.browser import BrowserSession, RowEvidence, watch_crashes

T = TypeVar("T")
NOT_FOUND = "在审核通过的证书中未找到该证明号（请核对证明号、签证机构及筛选条件）"


class Found(Protocol):
    @property
    def already_supplemented(self) -> bool: ...


class Record(Protocol):
    status: str
    submitted_at: str
    fields: dict[str, str]

    def matches(self, task: Task) -> bool: ...


class PortalClient(Protocol):
    """What the runner needs from one portal worker (see flows.portal.PortalWorker)."""

    context: BrowserContext

    async def connect(self) -> None: ...
    async def ensure_connected(self) -> None: ...
    async def reset(self, session_expired: bool = False) -> None: ...
    def explain(self, error: Exception) -> Exception: ...
    async def find_certificate(self, task: Task) -> Found | None: ...
    async def find_supplements(self, task: Task) -> list[Record]: ...
    async def all_supplements(self, since: date) -> list[Record]: ...
    async def failure_reason(self, task: Task) -> str: ...
    async def prepare(self, found: Found, task: Task) -> None: ...
    async def send(self) -> str: ...
    async def cancel(self) -> None: ...
    async def evidence(self, folder: Path, name: str) -> list[Path]: ...


WorkerFactory = Callable[[BrowserContext], PortalClient]


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
    initial_state: dict | None = None
    """Saved login (Playwright storage state) the first worker starts with; None = log in."""
    save_state: Callable[[dict], None] | None = None
    """Keeps the login between runs: called with the storage state after each (re)login."""
    _workers: list[PortalClient] = field(default_factory=list)
    _crashed: set[int] = field(default_factory=set)
    _consecutive_errors: int = 0
    _last_submit: float = 0.0
    _submit_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, tasks: list[Task]) -> dict[int, RowOutcome]:
        """Works all tasks; returns an outcome per row (unprocessed rows when aborted say so)."""
        queue: asyncio.Queue[Task] = asyncio.Queue()
        for task in sorted(tasks, key=lambda t: (t.authority.code, t.row)):
            queue.put_nowait(task)
        started = datetime.now()
        LIVE.begin(len(tasks))
        primary = await self._bounded(self._start_worker(self.initial_state))
        await self._save_login(primary)
        with contextlib.suppress(RunAborted):  # a stop during it leaves the rows unprocessed
            await self._bounded(self._reconcile_earlier(primary, {t.key for t in tasks}))
        self._workers = [primary]
        extra = min(self.settings.workers, len(tasks)) - 1
        state = await primary.context.storage_state() if extra > 0 else None
        with progress(len(tasks), "补录") as bar, contextlib.suppress(RunAborted):
            # The first worker starts on the rows at once; the others join as soon as they are in.
            joining = (self._join(state, queue, bar) for _ in range(max(0, extra)))
            await self._bounded(self._all_workers(self._drain(0, queue, bar), *joining))
        for task in tasks:
            note = f"运行中止（{self.abort_reason}），再次运行将继续"
            self.outcomes.setdefault(task.row, RowOutcome(task.row, Result.UNPROCESSED, note))
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

    async def _save_login(self, worker: PortalClient) -> None:
        if self.save_state is None:
            return
        try:
            self.save_state(await worker.context.storage_state())
        except Exception as error:  # a closed or crashed context: the next save will do
            logger.debug("login state not saved: {}", error)

    async def _recycle(self, index: int, reason: str) -> PortalClient:
        """Replaces worker `index` by a fresh browser context carrying the same login."""
        old = self._workers[index]
        state: dict | None = None
        try:
            state = await old.context.storage_state()
        except Exception as error:
            logger.debug("storage state of the old context: {}", error)
        try:
            await old.context.close()
        except Exception as error:
            logger.debug("closing the old context: {}", error)
        logger.info("更换浏览器上下文（{}）", reason)
        self._workers[index] = await self._start_worker(state)
        await self._save_login(self._workers[index])
        return self._workers[index]

    async def _reconcile_earlier(self, worker: PortalClient, skip: set[str]) -> None:
        """Before new work: one pass over earlier rows whose final 补录状态 is not known yet."""
        try:
            await reconcile_journal(worker, self.journal, skip)
        except Exception as raw:
            logger.warning("对账未完成（下次继续）：{}", worker.explain(raw))
            await worker.reset()

    async def _start_worker(self, storage_state: dict | None) -> PortalClient:
        context = await self.session.new_context(storage_state=storage_state)
        watch_crashes(context, lambda: self._crashed.add(id(context)))
        worker = self.make_worker(context)
        for attempt in range(1, self.settings.row_attempts + 1):
            try:
                await worker.connect()
                return worker
            except LoginFailed:
                raise
            except Exception as error:
                explained = worker.explain(error)
                logger.warning("connecting failed (attempt {}): {}", attempt, explained)
                if attempt == self.settings.row_attempts:
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
        try:
            worker = await self._start_worker(state)
        except Exception as error:  # RunAborted, LoginFailed, or the browser refusing a new context
            logger.warning("附加工作窗口未能进入门户，其余窗口继续：{}", error)
            return
        self._workers.append(worker)
        await self._drain(len(self._workers) - 1, queue, bar)

    async def _drain(self, index: int, queue: asyncio.Queue[Task], bar: Any) -> None:
        rows = 0
        while not self.stop.is_set():
            try:
                task = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            worker = self._workers[index]
            every = self.settings.recycle_every_rows
            if id(worker.context) in self._crashed:
                worker = await self._recycle(index, "页面崩溃")
            elif every > 0 and rows and rows % every == 0:
                worker = await self._recycle(index, f"已处理 {rows} 行")
            rows += 1
            LIVE.working(task.row, task.cert_no)
            outcome = await self._work(worker, task)
            self.outcomes[task.row] = outcome
            LIVE.finished(task.row, outcome.result.value)
            logger.info("第{}行 {} {}：{}", task.row, task.cert_no, outcome.result.value, outcome.message)
            bar.update(1)

    async def _work(self, worker: PortalClient, task: Task) -> RowOutcome:
        entry = self.journal.get(task.key)
        if entry is not None and entry.state == "submitted":
            note = f"已补录：第{entry.run_id}次运行已提交，未重复提交"
            if entry.status == STATUS_REJECTED:  # done once already, but the customs refused it
                reason = entry.message or "门户未给出原因"
                return self._outcome(task, Result.FAILED, f"{note}；海关接收失败：{reason}", entry.status)
            return self._outcome(task, Result.SKIPPED, note, entry.status)
        evidence = RowEvidence(worker.context, self.evidence_dir)
        await evidence.start()
        attempt = 0
        relogin = False
        while True:
            attempt += 1
            try:
                async with evidence.paused():
                    await worker.ensure_connected()
                    if relogin:  # the portal sent us to its login page: keep the renewed login
                        relogin = False
                        await self._save_login(worker)
                outcome = await self._attempt(worker, task)
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
                self._consecutive_errors += 1
                logger.warning("第{}行 系统错误（第{}次）：{}", task.row, attempt, error)
                if self._consecutive_errors >= self.settings.max_consecutive_system_errors:
                    self.abort_reason = f"连续 {self._consecutive_errors} 次系统错误"
                    self.stop.set()
                if self.stop.is_set() or attempt >= self.settings.row_attempts:
                    files = await self._keep(worker, evidence, task)
                    return self._outcome(task, Result.FAILED, f"系统错误（已尝试{attempt}次）：{error}", evidence=files)
                relogin = relogin or isinstance(error, SessionExpired)
                async with evidence.paused():
                    await worker.reset(session_expired=isinstance(error, SessionExpired))
                await self._backoff(attempt)

    async def _attempt(self, worker: PortalClient, task: Task) -> RowOutcome:
        entry = self.journal.get(task.key)
        if entry is not None and entry.state == "intent":
            # A submit may have been sent before a crash or an error: the portal decides.
            match = await self._portal_match(worker, task, include_rejected=True)
            if match is not None:
                self.journal.record_submitted(self.run_id, task, match.status)
                return self._outcome(task, Result.SUCCESS, "上次已提交（门户已有此补录记录），未重复提交", match.status)
        found = await worker.find_certificate(task)
        if found is None:
            raise PortalBusinessError(NOT_FOUND)
        if found.already_supplemented:
            match = await self._portal_match(worker, task, include_rejected=False)
            if match is not None:
                if not self.dry_run:
                    self.journal.record_submitted(self.run_id, task, match.status)
                note = f"已补录：门户已有相同报关单号的补录（{match.submitted_at}），未重复提交"
                return self._outcome(task, Result.SKIPPED, note, match.status)
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
        message = await worker.send()
        self.journal.record_submitted(self.run_id, task, STATUS_DECLARED)
        return self._outcome(task, Result.SUCCESS, message, STATUS_DECLARED)

    async def _portal_match(self, worker: PortalClient, task: Task, include_rejected: bool) -> Record | None:
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
        files = await worker.evidence(self.evidence_dir, name)
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
            except Exception as raw:  # the rows are done: trouble here only leaves statuses pending
                logger.warning("读取补录状态失败：{}", worker.explain(raw))
                try:
                    async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
                        await worker.reset()
                        await worker.ensure_connected()
                except Exception as again:
                    logger.warning("重新进入门户失败：{}", worker.explain(again))
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
        self.journal.record_status(task.key, status, reason)
