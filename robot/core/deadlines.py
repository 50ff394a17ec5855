"""Deadlines: no await without one. `bounded(work, seconds, what)` awaits `work` for at most `seconds`
and raises `DeadlineExceeded` naming what it waited for.

While it waits, the wait is listed (per asyncio task: what, since when) so that the run's progress
watchdog can say what every worker is waiting for (`current_waits`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from loguru import logger

from robot.core.errors import DeadlineExceeded

T = TypeVar("T")


@dataclass(frozen=True)
class Wait:
    """One bounded await in progress."""

    what: str
    since: float
    seconds: float

    def describe(self, now: float) -> str:
        return f"{self.what}（已等 {now - self.since:.0f} 秒，期限 {self.seconds:.0f} 秒）"


_waits: dict[asyncio.Task[object], list[Wait]] = {}


async def bounded(work: Awaitable[T], seconds: float, what: str) -> T:
    """Awaits `work` for at most `seconds`; then cancels it and raises DeadlineExceeded("<what> …")."""
    task = asyncio.current_task()
    wait = Wait(what, time.monotonic(), seconds)
    stack = _waits.setdefault(task, []) if task is not None else []
    stack.append(wait)
    try:
        async with asyncio.timeout(seconds):
            return await work
    except TimeoutError:
        logger.warning("超时：{} 超过 {:.0f} 秒未完成", what, seconds)
        raise DeadlineExceeded(f"{what}超过 {seconds:.0f} 秒未完成") from None
    finally:
        stack.remove(wait)
        if not stack and task is not None:
            _waits.pop(task, None)


def current_waits() -> dict[str, str]:
    """What each task is waiting for right now (task name → its innermost bounded wait)."""
    now = time.monotonic()
    return {task.get_name(): stack[-1].describe(now) for task, stack in list(_waits.items())
            if stack and not task.done()}
