"""Smoke test of the benchmark's floor client: 3 rows through a fresh mock portal, checked via the test API.

No timing assertion: the benchmark records timings, tests never judge them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.floor import FloorRow, run_floor
from mock_portal.harness import Portal, start_portal, stop_portal
from tests.support.workbooks import USER, plain_sample

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral]  # see tests/e2e/conftest.py


@pytest.fixture(scope="module")
def fresh_portal(frontend: str) -> Iterator[Portal]:
    """A fresh portal process on each front end: the floor speaks the wire of either."""
    running = start_portal("--test-api", "--receipt-delay", "0", frontend=frontend)
    yield running
    stop_portal(running)


def test_floor_submits_three_rows(fresh_portal: Portal, tmp_path: Path) -> None:
    sample = plain_sample(fresh_portal.url, tmp_path / "rows.xlsx", 3)
    rows = [FloorRow(e.authority, e.cert_no, True, tuple(e.numbers)) for e in sample.expected]
    before = fresh_portal.submissions(enterprise=USER)

    result = run_floor(fresh_portal.url, rows, workers=2)

    assert result.failures == []
    assert result.ok == 3
    after = fresh_portal.submissions(enterprise=USER)
    assert len(after) == len(before) + 3
    got = {(s["certNo"], s["exported"], tuple(s["declarationNos"])) for s in after}
    assert got == {(r.cert_no, "是", r.numbers) for r in rows}
