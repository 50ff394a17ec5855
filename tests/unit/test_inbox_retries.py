"""The inbox ledger remembers how often watch ran a workbook that left rows 待重试, and when it is due again
(on each back end of the store)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from robot.ops.inbox_ledger import InboxLedger


def test_the_inbox_ledger_counts_retries_of_a_workbook(store_url: str | None, tmp_path: Path) -> None:
    later = datetime.now().astimezone() + timedelta(minutes=5)
    with InboxLedger(tmp_path, store_url or "") as ledger:
        assert ledger.retry_due("abc") == (0, None)
        assert ledger.note_retry("abc", later) == 1
        assert ledger.note_retry("abc", later) == 2
    with InboxLedger(tmp_path, store_url or "") as ledger:  # kept across runs of watch
        runs, due = ledger.retry_due("abc")
        assert runs == 2 and due is not None and abs((due - later).total_seconds()) < 1
        ledger.clear_retry("abc")
        assert ledger.retry_due("abc") == (0, None)
