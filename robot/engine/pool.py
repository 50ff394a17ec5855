"""The worker pool of one run: a browser context per portal worker, recycled every few rows and after a
crash, recovered when it stops answering (a fresh context, or a restarted browser: robot.engine.recovery,
at most `max_recoveries` with no row worked in between), each starting with the latest login.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from loguru import logger
from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from robot.core.config import Settings
from robot.core.deadlines import bounded
from robot.core.errors import DeadlineExceeded, LoginFailed, PassingError, SessionExpired
from robot.core.portal import LoginState, PortalClient
from robot.engine.control import RunAborted, RunControl, first_line
from robot.engine.recovery import BrowserStuck, Recoveries, TooManyRecoveries
from robot.engine.watchdog import Watchdog
from robot.session.browser import BrowserSession, RowEvidence, watch_crashes

WorkerFactory = Callable[[BrowserContext], PortalClient]
ENTERING = "进入门户（登录、打开应用）"
"""The step a changed page is named by when it shows while getting in."""


@dataclass
class WorkerPool:
    settings: Settings
    session: BrowserSession
    make_worker: WorkerFactory
    control: RunControl
    login_state: LoginState | None = None
    """The latest login (storage state) read from a worker: a fresh context or browser starts with it."""
    save_state: Callable[[LoginState], None] | None = None
    """Keeps the login between runs: called with the storage state after each (re)login."""
    watchdog: Watchdog | None = None
    workers: list[PortalClient] = field(default_factory=list)
    recoveries: Recoveries = field(init=False)
    _crashed: set[int] = field(default_factory=set)
    """ids of contexts that crashed or closed: their worker gets a fresh context before its next row."""
    _generation: dict[int, int] = field(default_factory=dict)
    """Browser generation each worker's context was made in (id(context) → generation)."""

    def __post_init__(self) -> None:
        self.recoveries = Recoveries(self.settings.max_recoveries)

    def progressed(self) -> None:
        if self.watchdog is not None:
            self.watchdog.progressed()

    def gone(self, worker: PortalClient) -> bool:
        """The worker's context crashed or closed, or died with a browser that was restarted."""
        context = worker.context
        return id(context) in self._crashed or self._generation.get(id(context)) != self.session.generation

    async def login_of(self, worker: PortalClient) -> LoginState | None:
        """The worker's login (storage state), bounded; None when its context does not answer."""
        try:
            state = await bounded(worker.context.storage_state(), self.settings.browser_deadline_s, "读取登录状态")
        except Exception as error:  # a closed, crashed or stuck context: the last good login will do
            logger.debug("storage state not read: {}", first_line(error))
            return None
        self.login_state = state
        return state

    async def save_login(self, worker: PortalClient) -> None:
        state = await self.login_of(worker)
        if self.save_state is None or state is None:
            return
        try:
            self.save_state(state)
        except Exception as error:
            logger.debug("login state not saved: {}", first_line(error))

    async def recycle(self, index: int, reason: str) -> PortalClient:
        """Replaces worker `index` by a fresh browser context carrying the same login."""
        old = self.workers[index]
        state: LoginState | None = None
        if self._generation.get(id(old.context)) == self.session.generation:  # else it died with its browser
            state = await self.login_of(old)
            try:
                await bounded(old.context.close(), self.settings.browser_deadline_s, "关闭旧的浏览器上下文")
            except Exception as error:
                logger.debug("closing the old context: {}", first_line(error))
        logger.info("更换浏览器上下文（{}）", reason)
        self.workers[index] = await self.fresh(state)
        await self.save_login(self.workers[index])
        return self.workers[index]

    def _count(self, error: Exception) -> None:
        """One recovery more; the run is aborted (RunAborted) when max_recoveries is spent."""
        try:
            self.recoveries.count(error)
        except TooManyRecoveries as spent:
            self.control.abort(str(spent))
            raise RunAborted(str(spent)) from error

    async def fresh(self, state: LoginState | None) -> PortalClient:
        """A new context with a connected worker. A context that stops answering is replaced, a browser
        that stops answering is restarted; each counts against max_recoveries (then RunAborted)."""
        while True:
            if self.control.stopping and self.workers:  # stopping: no new browser work
                raise self.control.aborted()
            generation = self.session.generation
            try:
                return await self._start(state or self.login_state)
            except DeadlineExceeded as error:
                self._count(error)
                if isinstance(error, BrowserStuck):
                    await self.recoveries.restart_browser(self.session, generation)
            except Exception as error:
                if self.session.generation == generation:
                    raise
                logger.info("浏览器已重新启动，重新进入门户（{}）", first_line(error))  # by another worker

    async def recover(self, index: int, error: Exception) -> None:
        """The worker's context stopped answering (a deadline passed) or died: a fresh one, counted."""
        self._count(error)
        await self.recycle(index, f"无响应：{error}")

    async def _start(self, storage_state: LoginState | None) -> PortalClient:
        """A new context and its worker, connected (login, application). Raises BrowserStuck when not even
        the context comes, DeadlineExceeded when the context stops answering (it is closed then)."""
        try:
            context = await self.session.new_context(storage_state=dict(storage_state) if storage_state else None)
        except DeadlineExceeded as error:
            raise BrowserStuck(str(error)) from error
        except PlaywrightError as error:  # the browser closed, crashed or refuses: restarted like a stuck one
            logger.debug("new context refused: {}", first_line(error))
            raise BrowserStuck("浏览器无法打开新的浏览器上下文（工作窗口）") from error
        watch_crashes(context, lambda: self._crashed.add(id(context)))
        context.on("close", lambda _context: self._crashed.add(id(context)))
        self._generation[id(context)] = self.session.generation
        worker = self.make_worker(context)
        # some 7 pages, each may 5xx; at least two tries, so one glitch on the first page never ends the run
        attempts = max(2, self.settings.row_attempts + self.settings.request_retries)
        for attempt in range(1, attempts + 1):
            try:
                await worker.connect()
                self.progressed()
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
                change = self.control.page_changed(explained, ENTERING)
                if change is not None:
                    raise RunAborted(change.short()) from error
                if attempt == attempts:
                    raise RunAborted(f"无法进入门户：{explained}") from error
                await self.control.backoff(attempt)
        raise RunAborted("无法进入门户")

    async def heal(self, index: int, worker: PortalClient, evidence: RowEvidence, error: Exception) -> bool:
        """Gets the worker ready for the next attempt, as cheaply as the error allows. True when the worker
        was recovered from a browser that stopped answering (a fresh context or browser)."""
        if self.gone(worker):  # crashed, or its browser was restarted: a fresh context
            evidence.abandon()
            await self.recycle(index, "页面崩溃或浏览器已重启")
            return False
        if not isinstance(error, DeadlineExceeded | PassingError | SessionExpired) and not await worker.responsive():
            error = DeadlineExceeded(f"页面无响应（{error}）")
        if isinstance(error, DeadlineExceeded):  # the context (or the browser) stopped answering
            evidence.abandon()
            await self.recover(index, error)
            return True
        if isinstance(error, PassingError):
            logger.info("门户请求临时失败，不重新载入应用，稍后从当前页面重试")
        else:  # a broken page (or an expired session): reload the application, or log in again
            async with evidence.paused():
                await worker.reset(session_expired=isinstance(error, SessionExpired))
        return False
