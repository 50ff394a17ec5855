"""Which inbox files are ready: unchanged between looks, not open in an office program."""

from __future__ import annotations

from pathlib import Path

from robot.ops.inbox import Inbox


def test_unchanged_file_is_ready(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"x")
    inbox = Inbox(tmp_path)
    assert inbox.ready(inbox.snapshot(), inbox.snapshot()) == [tmp_path / "a.xlsx"]


def test_growing_file_is_not_ready(tmp_path: Path) -> None:
    book = tmp_path / "a.xlsx"
    book.write_bytes(b"x")
    inbox = Inbox(tmp_path)
    before = inbox.snapshot()
    book.write_bytes(b"xy")
    assert inbox.ready(before, inbox.snapshot()) == []


def test_file_with_an_excel_or_libreoffice_lock_is_not_ready(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx", "c.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / ".~lock.b.xlsx#").write_bytes(b"lock")
    inbox = Inbox(tmp_path)
    assert inbox.ready(inbox.snapshot(), inbox.snapshot()) == [tmp_path / "c.xlsx"]


def test_leftovers_are_workbooks_not_their_reports(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    inbox.prepare()
    processing = tmp_path / "processing"
    (processing / "清单.xlsx").write_bytes(b"x")
    (processing / "清单-结果-20260101-120000.xlsx").write_bytes(b"x")
    assert inbox.leftovers() == [processing / "清单.xlsx"]
