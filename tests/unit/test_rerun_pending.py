"""A rerun of rows all submitted earlier whose receipt is still not read: they stay 已提交，待回执 (so the run
exits 7 RECEIPTS_PENDING), never 跳过 (which would exit 0 as if the customs had accepted them)."""

from __future__ import annotations

from pathlib import Path

from robot.core.model import STATUS_PENDING_RECEIPT, Result
from tests.support.portal_double import Bench, DoublePortal, quick_settings, task


def test_rows_sent_earlier_without_a_receipt_stay_pending_on_a_rerun(tmp_path: Path) -> None:
    bench = Bench(tmp_path)
    try:
        tasks = [task(1), task(2)]
        bench.portal = DoublePortal(receipts=False)
        bench.portal.add(*tasks)
        _, first = bench.run(tasks, quick_settings(receipt_deadline_s=0.0))
        assert {first[t.row].result for t in tasks} == {Result.SUBMITTED}

        _, again = bench.run(tasks, quick_settings(receipt_deadline_s=0.0))
        assert bench.portal.sent == {t.key: 1 for t in tasks}
        for t in tasks:
            assert again[t.row].result == Result.SUBMITTED, again[t.row]
            assert again[t.row].status == STATUS_PENDING_RECEIPT
            assert "未重复提交" in again[t.row].message

        bench.portal.receipts = True
        _, last = bench.run(tasks, quick_settings())
        assert {last[t.row].result for t in tasks} <= {Result.SUCCESS, Result.SKIPPED}
    finally:
        bench.close()
