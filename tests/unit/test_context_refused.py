"""A browser that refuses a new context (closed, crashed, out of resources) is a system error: restarted and
tried again within max_recoveries, then the run ends naming what failed, in Chinese; never a raw error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from robot.core.model import Result
from tests.support.portal_double import Bench, DoublePortal, SessionDouble, quick_settings, task


@pytest.fixture
def refusals() -> Iterator[type[SessionDouble]]:
    yield SessionDouble
    SessionDouble.refusals = 0


def _run_one_row(tmp_path: Path, **settings: Any) -> tuple[Bench, Any, dict[int, Any]]:
    bench = Bench(tmp_path)
    tasks = [task(1)]
    bench.portal = DoublePortal()
    bench.portal.add(*tasks)
    runner, outcomes = bench.run(tasks, quick_settings(**settings))
    bench.close()
    return bench, runner, outcomes


def test_a_refused_context_is_retried_then_the_run_ends_saying_why(
    tmp_path: Path, refusals: type[SessionDouble]
) -> None:
    refusals.refusals = 100
    bench, runner, outcomes = _run_one_row(tmp_path, max_recoveries=2)
    assert bench.session.restarts == 2  # retried (a fresh browser each time), up to max_recoveries
    assert "浏览器无法打开新的浏览器上下文" in runner.control.reason
    assert "Target" not in runner.control.reason
    assert bench.portal.sent == {}
    assert outcomes == {} or {o.result for o in outcomes.values()} == {Result.UNPROCESSED}


def test_a_context_refused_once_costs_one_restart_and_the_row_is_done(
    tmp_path: Path, refusals: type[SessionDouble]
) -> None:
    refusals.refusals = 1
    bench, _, outcomes = _run_one_row(tmp_path)
    assert bench.session.restarts == 1
    assert outcomes[1].result == Result.SUCCESS
