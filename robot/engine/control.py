"""The run's control shared by the worker pool, the row protocol and the receipt watch: the stop, its one
reason (`abort`), a changed page, and the waits that end at once when the run stops (never a fixed sleep).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from loguru import logger

from robot.core.config import Settings
from robot.engine.page_changes import PageChange, PageChanges

T = TypeVar("T")


class RunAborted(Exception):
    """Too many consecutive system errors, or login impossible: exit code 3."""


def first_line(error: BaseException) -> str:
    """An error's first line (Playwright appends the browser's whole log to some)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@dataclass
class RunControl:
    settings: Settings
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    reason: str = ""
    """Why the run stopped (the first reason given); "" while it goes on or after an unexplained stop."""
    page_change: PageChange | None = None
    """Set when the same guide element was missing twice: the run stopped (exit code 6, PAGE_CHANGED)."""
    _misses: PageChanges = field(default_factory=PageChanges)

    @property
    def stopping(self) -> bool:
        return self.stop.is_set()

    def abort(self, reason: str) -> None:
        """Stops the run (rows in flight end, nothing new is sent); the first reason given is kept."""
        self.reason = self.reason or reason
        self.stop.set()

    def aborted(self) -> RunAborted:
        """The exception that ends work cut short by the stop."""
        return RunAborted(self.reason or "运行已停止")

    def page_changed(self, error: Exception, step: str) -> PageChange | None:
        """The change when `error` is the second miss of the same guide element (the run is stopped then)."""
        change = self._misses.missed(error, step)
        if change is not None and self.page_change is None:
            self.page_change = change
            logger.warning("停止处理其余行：{}", change.short())
            self.abort(change.short())
        return change

    async def bounded(self, work: Awaitable[T]) -> T:
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
                raise self.aborted()
            return job.result()
        finally:
            stopping.cancel()

    async def backoff(self, attempt: int) -> None:
        await self.pause(min(30.0, self.settings.backoff_s * 2 ** (attempt - 1)))

    async def pause(self, seconds: float) -> None:
        """Waits, but returns at once when the run is being stopped (not a fixed sleep on a page)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)
