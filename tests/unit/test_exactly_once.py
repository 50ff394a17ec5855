"""Exactly once, as a property: whatever faults hit whichever portal calls of a run (5xx, broken pages,
expired sessions, contexts that stop answering, lost answers after 【提交】, a list that changes under
the robot), no row is ever sent twice, a row reported sent was sent, and one more run without faults
finishes every row; rows searched one by one and rows worked down the list alike. Hundreds of runs of
the real Runner on the in-memory portal double (tests/support/portal_double.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robot.core.errors import DeadlineExceeded, PassingError, PortalSystemError, SessionExpired
from robot.core.model import Result
from tests.support.portal_double import Bench, DoublePortal, quick_settings, task

OPS = (
    "connect",
    "find_certificate",
    "find_supplements",
    "prepare",
    "send",
    "sent",
    "all_supplements",
    "list_pages",
    "next_page",
)
KINDS = {
    "busy": lambda: PassingError("系统繁忙，请稍后重试"),
    "broken": lambda: PortalSystemError("页面操作失败"),
    "expired": lambda: SessionExpired("门户会话已过期"),
    "stuck": lambda: DeadlineExceeded("浏览器无响应"),
    "fine": lambda: None,
}
_first_rows = itertools.count(1)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    bench = Bench(Path(tmp_path_factory.mktemp("exactly-once")))
    yield bench
    bench.close()


faults = st.lists(st.tuples(st.sampled_from(OPS), st.sampled_from(sorted(KINDS))), max_size=10)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.integers(1, 7),
    workers=st.integers(1, 2),
    plan=faults,
    receipts=st.booleans(),
    mode=st.sampled_from(["list", "row"]),
    moved=st.sets(st.integers(0, 6), max_size=3),
    page_size=st.integers(1, 3),
)
def test_no_fault_sends_a_row_twice_and_one_more_run_finishes_them(
    bench: Bench,
    rows: int,
    workers: int,
    plan: list[tuple[str, str]],
    receipts: bool,
    mode: str,
    moved: set[int],
    page_size: int,
) -> None:
    first = next(_first_rows) * 10  # rows of their own: the journal is shared by the examples
    tasks = [task(first + i) for i in range(rows)]
    bench.portal = DoublePortal(receipts=receipts, page_size=page_size)
    bench.portal.add(*tasks)
    bench.portal.moved = {tasks[i].cert_no for i in moved if i < rows}  # no longer where the list showed them
    for op, kind in plan:
        bench.portal.fail(op, KINDS[kind]())
    run = quick_settings(workers=workers, receipt_deadline_s=0.2 if receipts else 0.0, search_mode=mode)

    _, outcomes = bench.run(tasks, run)
    assert all(n <= 1 for n in bench.portal.sent.values())
    for t in tasks:
        done = outcomes.get(t.row)
        if done is not None and done.result in (Result.SUCCESS, Result.SUBMITTED):
            assert bench.portal.sent[t.key] == 1, done
        assert done is None or done.result is not Result.FAILED, done

    bench.portal.faults.clear()
    bench.portal.receipts = True
    _, again = bench.run(tasks, quick_settings(workers=workers))
    assert bench.portal.sent == {t.key: 1 for t in tasks}
    assert {again[t.row].result for t in tasks} <= {Result.SUCCESS, Result.SKIPPED}
