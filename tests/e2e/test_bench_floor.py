"""Smoke test of the benchmark's floor clients: 3 rows each through a fresh mock portal, checked via the
test API (submissions, and the requests the portal counted: the honest floor loads the dialog's page of
the layui front end for every row, the bare floor does not).

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


@pytest.mark.parametrize("dialog", [True, False], ids=["floor", "floor_bare"])
def test_floor_submits_three_rows(fresh_portal: Portal, tmp_path: Path, frontend: str, dialog: bool) -> None:
    submitted = {s["certNo"] for s in fresh_portal.submissions(enterprise=USER)}
    sample = plain_sample(fresh_portal.url, tmp_path / "rows.xlsx", 3 + len(submitted))
    rows = [FloorRow(e.authority, e.cert_no, True, tuple(e.numbers)) for e in sample.expected]
    rows = [r for r in rows if r.cert_no not in submitted][:3]
    before = fresh_portal.submissions(enterprise=USER)
    counted = fresh_portal.requests()

    result = run_floor(fresh_portal.url, rows, workers=2, dialog=dialog)

    assert result.failures == []
    assert result.ok == 3
    after = fresh_portal.submissions(enterprise=USER)
    assert len(after) == len(before) + 3
    got = {(s["certNo"], s["exported"], tuple(s["declarationNos"])) for s in after if s["certNo"] not in submitted}
    assert got == {(r.cert_no, "是", r.numbers) for r in rows}
    requests = {k: n - counted.get(k, 0) for k, n in fresh_portal.requests().items() if n != counted.get(k, 0)}
    dialog_page = requests.get("GET /swOrigin/supplement/edit", 0)
    assert dialog_page == (3 if dialog and frontend == "layui" else 0)
