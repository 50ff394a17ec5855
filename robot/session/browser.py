"""The browser session: launches Chromium (rule in robot.session.browser_path) and hands out contexts.

Owns Playwright's lifetime, per-row traces and screenshots used as evidence. With
`cdp_url` it attaches to a Chrome the operator started (and logged into) instead of launching one:
the robot then works in contexts of its own that start with that Chrome's cookies, and on exit
closes only those, never the operator's windows.
Tracing is never running while a secret is typed (see `BrowserSession.untraced`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType

from loguru import logger
from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright

from robot.core.config import Settings
from robot.core.errors import PortalSystemError
from robot.session.browser_path import LAUNCH_ARGS, find_browser


class BrowserSession:
    """One browser for one run. Use as `async with BrowserSession(settings) as session:`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pw: Playwright | None = None
        self.browser: Browser | None = None

    async def __aenter__(self) -> BrowserSession:
        if self.settings.cdp_url:
            self._pw = await async_playwright().start()
            logger.info("attaching to the operator's Chrome at {}", self.settings.cdp_url)
            try:
                self.browser = await self._pw.chromium.connect_over_cdp(self.settings.cdp_url)
            except Exception as error:
                await self._pw.stop()
                raise PortalSystemError(f"无法连接到 {self.settings.cdp_url} 的 Chrome（是否以 "
                                        f"--remote-debugging-port 启动？）：{str(error).splitlines()[0]}") from error
            return self
        executable = self.settings.browser_executable or find_browser()
        if not executable:
            raise PortalSystemError("未找到浏览器：请安装 Chrome、Edge 或 Chromium")
        self._pw = await async_playwright().start()
        logger.info("launching browser {}", executable)
        self.browser = await self._pw.chromium.launch(
            executable_path=executable,
            headless=not self.settings.headed,
            args=LAUNCH_ARGS,
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.browser is not None:
            try:
                await self.browser.close()
            except Exception as error:  # the browser may already be gone after a crash
                logger.debug("browser close: {}", error)
        if self._pw is not None:
            await self._pw.stop()

    async def new_context(self, storage_state: dict | None = None) -> BrowserContext:
        """A fresh context (cookies optionally copied from another); tracing is started per row (RowEvidence)."""
        assert self.browser is not None
        if storage_state is None and self.settings.cdp_url and self.browser.contexts:
            storage_state = await self.browser.contexts[0].storage_state()  # the operator's login
        context = await self.browser.new_context(
            storage_state=storage_state,  # type: ignore[arg-type]
            locale="zh-CN",
            viewport={"width": 1366, "height": 800},
            accept_downloads=False,
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

    def __init__(self, context: BrowserContext, folder: Path) -> None:
        self.context = context
        self.folder = folder
        self._open = False

    async def start(self) -> None:
        # A whole trace per row, not a chunk of one long trace: a trace's network log spans all its
        # chunks, so a login recorded once (its POST body holds the password) would leak into every row.
        # DOM snapshots only: a screencast in every row's trace costs ~0.6 s per row (docs/BENCHMARKS.md);
        # a failed row gets its own screenshot beside the trace.
        try:
            await self.context.tracing.start(screenshots=False, snapshots=True, sources=False)
        except Exception as error:  # a crashed or closed context: the row goes on without a trace
            logger.warning("trace not started: {}", error)
            return
        self._open = True

    async def discard(self) -> None:
        if self._open:
            self._open = False
            try:
                await self.context.tracing.stop()
            except Exception as error:  # the context is gone, and its trace with it
                logger.debug("trace not stopped: {}", error)

    async def keep_trace(self, name: str) -> list[Path]:
        """Saves the row's trace (no login inside it, so no secret); returns the file written."""
        if not self._open:
            return []
        self._open = False
        self.folder.mkdir(parents=True, exist_ok=True)
        trace = self.folder / f"{name}.trace.zip"
        try:
            await self.context.tracing.stop(path=str(trace))
        except Exception as error:
            logger.warning("trace failed: {}", error)
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
