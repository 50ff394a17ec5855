"""Recoveries of a run: a fresh browser context when one stopped answering, a restarted browser when
the browser itself did; at most `max_recoveries` with no row worked in the browser in between (an
attempt the portal answered: 成功, 已提交, 失败, 已补录; a row skipped from the journal or left 待重试 does
not count), then the run ends (exit code 3) saying why. A long run on a busy PC may need a few now and
then; a browser that never gets a row done again ends the run. A row keeps its attempt after a recovery
at most `max_recoveries` times (robot.engine.runner), so one row that always stalls cannot go on while
other workers finish rows.

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
        """Recoveries in the whole run."""
        self.since_row = 0
        """Recoveries since the last row was done: what the budget counts."""
        self._lock = asyncio.Lock()

    def count(self, error: Exception) -> None:
        """One more recovery for `error`; raises TooManyRecoveries when the budget is spent."""
        self.used += 1
        self.since_row += 1
        if self.since_row > self.limit:
            raise TooManyRecoveries(
                f"浏览器多次无响应（已连续恢复 {self.limit} 次，其间没有一行完成，上限 max_recoveries）：{error}"
            )
        logger.warning(
            "恢复（自上一行完成起第{}/{}次，本次运行共{}次）：{}", self.since_row, self.limit, self.used, error
        )

    def row_done(self) -> None:
        """An attempt of a row the portal answered (成功, 已提交, 失败, 已补录): the budget starts over."""
        self.since_row = 0

    async def restart_browser(self, session: BrowserSession, seen_generation: int) -> None:
        """Restarts the browser unless another worker already did since `seen_generation`."""
        async with self._lock:
            if session.generation != seen_generation:
                return
            await session.restart()
