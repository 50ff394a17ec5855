"""Deadlines and the watchdog: a bounded await ends with an error naming what it waited for, and the
watchdog can tell what each worker is waiting for meanwhile."""

from __future__ import annotations

import asyncio

import pytest

from robot.core.deadlines import bounded, current_waits, label
from robot.core.errors import DeadlineExceeded, PortalSystemError
from robot.engine.recovery import Recoveries, TooManyRecoveries
from robot.engine.watchdog import Watchdog


def test_a_bounded_wait_that_never_ends_raises_naming_it() -> None:
    async def never() -> None:
        await asyncio.Event().wait()

    with pytest.raises(DeadlineExceeded, match="新建页面") as raised:
        asyncio.run(bounded(never(), 0.05, "新建页面"))
    assert isinstance(raised.value, PortalSystemError)  # retried like any system error


def test_a_bounded_wait_returns_the_result() -> None:
    async def answer() -> int:
        return 42

    assert asyncio.run(bounded(answer(), 5, "x")) == 42


def test_current_waits_name_the_worker_and_its_nested_waits() -> None:
    seen: dict[str, str] = {}

    async def worker(gate: asyncio.Event, release: asyncio.Event) -> None:
        label("工作窗口2")
        await bounded(bounded(inner(gate, release), 30, "新建页面"), 60, "第5行第1次尝试")

    async def inner(gate: asyncio.Event, release: asyncio.Event) -> None:
        gate.set()
        await release.wait()

    async def main() -> None:
        gate, release = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(worker(gate, release))
        await gate.wait()
        seen.update(current_waits())
        release.set()
        await task

    asyncio.run(main())
    assert list(seen) == ["工作窗口2"]
    assert seen["工作窗口2"].index("第5行第1次尝试") < seen["工作窗口2"].index("新建页面")
    assert current_waits() == {}


def test_watchdog_reports_and_stops_a_stalled_run() -> None:
    stalled: list[float] = []
    dog = Watchdog(every_s=1, stall_limit_s=2, on_stall=stalled.append)
    dog.last -= 1.5
    dog.check()
    assert not stalled
    dog.last -= 1.0
    dog.check()
    assert stalled
    dog.progressed()
    stalled.clear()
    dog.check()
    assert not stalled


def test_a_row_done_starts_the_recovery_budget_over() -> None:
    budget = Recoveries(2)
    for _ in range(3):  # a long run on a busy PC: two slow moments between rows, three times
        budget.count(DeadlineExceeded("a"))
        budget.count(DeadlineExceeded("b"))
        budget.row_done()
    assert budget.used == 6 and budget.since_row == 0
    budget.count(DeadlineExceeded("c"))
    budget.count(DeadlineExceeded("d"))
    with pytest.raises(TooManyRecoveries, match="其间没有一行完成"):
        budget.count(DeadlineExceeded("e"))


def test_recoveries_are_capped() -> None:
    budget = Recoveries(2)
    budget.count(DeadlineExceeded("a"))
    budget.count(DeadlineExceeded("b"))
    with pytest.raises(TooManyRecoveries, match="max_recoveries"):
        budget.count(DeadlineExceeded("c"))
