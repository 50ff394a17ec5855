"""The browser session: launches Chromium (rule in robot.session.browser_path) and hands out contexts.

Owns Playwright's lifetime, per-row traces (scrubbed of cookies and tokens) used as evidence. With
`cdp_url` it attaches to a Chrome the operator started (and logged into) instead of launching one:
the robot then works in contexts of its own that start with that Chrome's cookies, and on exit
closes only those, never the operator's windows.
Tracing is never running while a secret is typed (see `BrowserSession.untraced`).
Every browser call without a timeout of its own is bounded (`browser_deadline_s`); a launched browser
that stops answering is killed with its process group and launched again (`restart`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType

from loguru import logger
from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright

from robot.core.config import Settings
from robot.core.deadlines import bounded
from robot.core.errors import PortalSystemError
from robot.session.browser_path import LAUNCH_ARGS, find_browser
from robot.session.browser_process import kill_browser, launched_browsers
from robot.session.bundle import scrub_trace

CLOSE_DEADLINE_S = 3.0
"""How long closing the browser may take before it is killed (SIGTERM must end the robot within 10 s)."""


class BrowserSession:
    """One browser for one run. Use as `async with BrowserSession(settings) as session:`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pw: Playwright | None = None
        self.browser: Browser | None = None
        self.generation = 0
        """Counts browser launches: contexts of an older generation died with their browser."""
        self._pids: set[int] = set()
        self._ready: asyncio.Event | None = None
        """Set while a browser is up; cleared while it is being restarted (new contexts wait for it)."""
        """The launched browser's main process (none with --cdp: the operator's Chrome is never killed)."""

    async def __aenter__(self) -> BrowserSession:
        if self.settings.cdp_url:
            self._pw = await async_playwright().start()
            logger.info("attaching to the operator's Chrome at {}", self.settings.cdp_url)
            try:
                self.browser = await self._pw.chromium.connect_over_cdp(self.settings.cdp_url)
            except Exception as error:
                await self._pw.stop()
                raise PortalSystemError(
                    f"无法连接到 {self.settings.cdp_url} 的 Chrome（是否以 "
                    f"--remote-debugging-port 启动？）：{str(error).splitlines()[0]}"
                ) from error
            return self
        executable = self.settings.browser_executable or find_browser()
        if not executable:
            raise PortalSystemError("未找到浏览器：请安装 Chrome、Edge 或 Chromium")
        self._pw = await async_playwright().start()
        await self._launch(executable)
        return self

    async def _launch(self, executable: str) -> None:
        assert self._pw is not None
        logger.info("launching browser {}", executable)
        before = launched_browsers()
        self.browser = await bounded(
            self._pw.chromium.launch(
                executable_path=executable,
                headless=not self.settings.headed,
                args=LAUNCH_ARGS,
            ),
            max(60.0, self.settings.browser_deadline_s),
            "启动浏览器",
        )
        self._pids = launched_browsers() - before
        if self.generation == 0:
            self.generation = 1
        self._ready = self._ready or asyncio.Event()
        self._ready.set()

    async def restart(self) -> None:
        """The browser stopped answering: kill it (whole process group) and launch a fresh one.
        Its contexts are gone; the runner gives each worker a new one with the saved login."""
        if self.settings.cdp_url:
            raise PortalSystemError("操作员的 Chrome 无响应（--cdp 时机器人不会重启它）")
        logger.warning("浏览器无响应：结束并重新启动浏览器")
        self.generation += 1  # first: contexts of the old browser count as dead from now on
        if self._ready is not None:
            self._ready.clear()
        self.kill()
        old, self.browser = self.browser, None
        if old is not None:
            with contextlib.suppress(Exception):
                await bounded(old.close(), CLOSE_DEADLINE_S, "关闭无响应的浏览器")
        await self._launch(self.settings.browser_executable or find_browser() or "")

    def kill(self) -> None:
        """Kills the launched browser's processes now (safe to call more than once, and from a timer)."""
        pids, self._pids = self._pids, set()
        for pid in pids:
            kill_browser(pid)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.browser is not None:
            try:
                await bounded(self.browser.close(), CLOSE_DEADLINE_S, "关闭浏览器")
            except Exception as error:  # gone after a crash, or not answering: then killed
                logger.debug("browser close: {}", error)
                self.kill()
        if self._pw is not None:
            try:
                await bounded(self._pw.stop(), CLOSE_DEADLINE_S, "停止 Playwright")
            except Exception as error:
                logger.debug("playwright stop: {}", error)

    async def new_context(self, storage_state: dict | None = None) -> BrowserContext:
        """A fresh context (cookies optionally copied from another); tracing is started per row (RowEvidence)."""
        deadline = self.settings.browser_deadline_s
        if self._ready is not None and not self._ready.is_set():  # being restarted by another worker
            await bounded(self._ready.wait(), max(60.0, deadline), "等待浏览器重新启动")
        if self.browser is None:
            raise PortalSystemError("浏览器未启动")
        if storage_state is None and self.settings.cdp_url and self.browser.contexts:
            storage_state = await bounded(
                self.browser.contexts[0].storage_state(), deadline, "读取操作员 Chrome 的登录"
            )  # the operator's login
        context = await bounded(
            self.browser.new_context(
                storage_state=storage_state,  # type: ignore[arg-type]
                locale="zh-CN",
                viewport={"width": 1366, "height": 800},
                accept_downloads=False,
            ),
            deadline,
            "新建浏览器上下文",
        )
        context.set_default_timeout(self.settings.action_timeout_ms)
        context.set_default_navigation_timeout(self.settings.navigation_timeout_ms)
        return context


def watch_crashes(context: BrowserContext, on_crash: Callable[[], None]) -> None:
    """Calls `on_crash` when any page of `context` crashes (the runner then recycles the context)."""

    def watch(page: Page) -> None:
        page.on("crash", lambda _page: (logger.warning("页面崩溃：{}", _page.url), on_crash()))

    for page in context.pages:
        watch(page)
    context.on("page", watch)


class RowEvidence:
    """Per-row trace; kept only when the row fails."""

    def __init__(self, context: BrowserContext, folder: Path, deadline_s: float = 20.0) -> None:
        self.context = context
        self.folder = folder
        self.deadline_s = deadline_s
        self._open = False

    async def start(self) -> None:
        # A whole trace per row, not a chunk of one long trace: a trace's network log spans all its
        # chunks, so a login recorded once (its POST body holds the password) would leak into every row.
        # DOM snapshots only: a screencast in every row's trace costs ~0.6 s per row (docs/BENCHMARKS.md);
        # a failed row gets its own screenshot beside the trace.
        try:
            await bounded(
                self.context.tracing.start(screenshots=False, snapshots=True, sources=False),
                self.deadline_s,
                "开始记录跟踪",
            )
        except Exception as error:  # a crashed or closed context: the row goes on without a trace
            logger.warning("trace not started: {}", error)
            return
        self._open = True

    async def discard(self) -> None:
        if self._open:
            self._open = False
            try:
                await bounded(self.context.tracing.stop(), self.deadline_s, "结束跟踪")
            except Exception as error:  # the context is gone, and its trace with it
                logger.debug("trace not stopped: {}", error)

    def abandon(self) -> None:
        """Forgets the trace without asking the browser (its context stopped answering or is gone)."""
        self._open = False

    async def keep_trace(self, name: str) -> list[Path]:
        """Saves the row's trace, scrubbed (`robot.session.bundle.scrub_trace`: no cookie, token or
        request body, and none of the context's live cookie values anywhere); returns the file written.
        A trace that cannot be scrubbed is deleted, never kept."""
        if not self._open:
            return []
        self._open = False
        self.folder.mkdir(parents=True, exist_ok=True)
        trace = self.folder / f"{name}.trace.zip"
        try:
            await bounded(self.context.tracing.stop(path=str(trace)), self.deadline_s, "保存跟踪")
            live = await bounded(self.context.cookies(), self.deadline_s, "读取会话")
            await asyncio.to_thread(scrub_trace, trace, [c.get("value", "") for c in live])
        except Exception as error:
            logger.warning("trace failed: {}", error)
            trace.unlink(missing_ok=True)
            return []
        return [trace]

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """Stops the trace (discarding it) for work that must never be traced, e.g. a login."""
        was_open = self._open
        await self.discard()
        try:
            yield
        finally:
            if was_open:
                await self.start()
