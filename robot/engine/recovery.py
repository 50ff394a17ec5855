"""Recoveries of a run: a fresh browser context when one stopped answering, a restarted browser when
the browser itself did; at most `max_recoveries` per run, then the run ends (exit code 3) saying why.

Workers share one browser: when two notice a dead browser together, only the first restarts it
(the generation it saw tells whether someone else already did).
"""

from __future__ import annotations

import asyncio

from loguru import logger

from robot.core.errors import DeadlineExceeded
from robot.session.browser import BrowserSession


class BrowserStuck(DeadlineExceeded):
    """Not even a new context within its deadline: the browser itself stopped answering."""


class TooManyRecoveries(Exception):
    """The run used up max_recoveries; the message says why (it becomes the run's abort reason)."""


class Recoveries:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._lock = asyncio.Lock()

    def count(self, error: Exception) -> None:
        """One more recovery for `error`; raises TooManyRecoveries when the budget is spent."""
        self.used += 1
        if self.used > self.limit:
            raise TooManyRecoveries(f"浏览器多次无响应（已恢复 {self.limit} 次，上限 max_recoveries）：{error}")
        logger.warning("恢复（第{}/{}次）：{}", self.used, self.limit, error)

    async def restart_browser(self, session: BrowserSession, seen_generation: int) -> None:
        """Restarts the browser unless another worker already did since `seen_generation`."""
        async with self._lock:
            if session.generation != seen_generation:
                return
            await session.restart()
