"""The run's progress watchdog: when no row has progressed for `watchdog_s`, it logs what every worker
is waiting for (the bounded waits of robot.core.deadlines); after `stall_limit_s` without progress it
calls `on_stall` (the runner then stops the run: exit code 3, running again resumes)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from loguru import logger

from robot.core.deadlines import current_waits


class Watchdog:
    def __init__(self, every_s: float, stall_limit_s: float, on_stall: Callable[[float], None]) -> None:
        self.every_s = max(1.0, every_s)
        self.stall_limit_s = stall_limit_s
        self.on_stall = on_stall
        self.last = time.monotonic()
        self._done = asyncio.Event()

    def progressed(self) -> None:
        """A row finished (or a worker got in): the clock starts again."""
        self.last = time.monotonic()

    async def run(self) -> None:
        """Looks every `every_s` until `close()` (or cancelled)."""
        while not self._done.is_set():
            try:
                await asyncio.wait_for(self._done.wait(), timeout=self.every_s)
            except TimeoutError:
                self.check()

    def close(self) -> None:
        self._done.set()

    def check(self) -> None:
        idle = time.monotonic() - self.last
        if idle < self.every_s:
            return
        waits = current_waits()
        said = "；".join(f"{name} 在等：{what}" for name, what in sorted(waits.items())) or "没有进行中的等待"
        logger.warning("{:.0f} 秒没有进展：{}", idle, said)
        if self.stall_limit_s > 0 and idle >= self.stall_limit_s:
            self.on_stall(idle)
