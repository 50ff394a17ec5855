"""Deadlines: no await without one. `bounded(work, seconds, what)` awaits `work` for at most `seconds`
and raises `DeadlineExceeded` naming what it waited for.

While it waits, the wait is listed (under the worker's name set by `label`, else the task's name; what,
since when) so that the run's progress watchdog can say what every worker is waiting for (`current_waits`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from loguru import logger

from robot.core.errors import DeadlineExceeded

T = TypeVar("T")


@dataclass(frozen=True)
class Wait:
    """One bounded await in progress."""

    who: str
    what: str
    since: float
    seconds: float

    def describe(self, now: float) -> str:
        return f"{self.what}（已等 {now - self.since:.0f} 秒，期限 {self.seconds:.0f} 秒）"


_waits: dict[asyncio.Task[object], list[Wait]] = {}
_label: ContextVar[str] = ContextVar("corobot_worker", default="")


def label(name: str) -> None:
    """Names the current task and the tasks it starts from now on (e.g. 工作窗口2) for the watchdog."""
    _label.set(name)


async def bounded(work: Awaitable[T], seconds: float, what: str) -> T:
    """Awaits `work` for at most `seconds`; then cancels it and raises DeadlineExceeded("<what> …")."""
    task = asyncio.current_task()
    wait = Wait(_label.get() or (task.get_name() if task else ""), what, time.monotonic(), seconds)
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
    """What each worker is waiting for right now: its name → its bounded waits, outermost first."""
    now = time.monotonic()
    waits = sorted((w for task, stack in list(_waits.items()) if not task.done() for w in stack), key=lambda w: w.since)
    found: dict[str, list[str]] = {}
    for wait in waits:
        found.setdefault(wait.who, []).append(wait.describe(now))
    return {who: " › ".join(chain) for who, chain in found.items()}
