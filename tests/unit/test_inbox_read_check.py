"""The inbox reads a workbook before it runs it (robot.ops.inbox.read_check): one that cannot be read goes to
failed/ with a note before the next file is touched, and a file the robot stopped while reading is read
again only in a child process — it is never left in processing/ to bring the robot down at every restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.books.probe import probe
from robot.core.config import Settings
from robot.engine.journal import file_sha256
from robot.ops import inbox as inbox_module
from robot.ops.inbox_ledger import InboxLedger
from robot.ops.watch import WatchRequest, run_watch
from tests.support.hostile.package import Package, Sheet


def make_book(path: Path, rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return Package([Sheet.table("补录清单", [tuple(r) for r in rows])]).write(path)


def _settings(tmp_path: Path) -> Settings:
    return Settings(state_dir=tmp_path / "state", inbox_dir=tmp_path / "inbox", inbox_settle_s=0.05)


def _left_in_processing(tmp_path: Path, rows: list[list[object]], reading: bool = True) -> Path:
    """A workbook in processing/ whose read was under way when the robot stopped."""
    workbook = make_book(tmp_path / "inbox" / "processing" / "清单.xlsx", rows)
    with InboxLedger(tmp_path / "state") as ledger:
        ledger.take(file_sha256(workbook), workbook.name, workbook)
        if reading:
            ledger.start_reading(file_sha256(workbook))
    return workbook


def _note(tmp_path: Path) -> str:
    return (tmp_path / "inbox" / "failed" / "清单.xlsx.说明.txt").read_text(encoding="utf-8-sig")


def test_a_file_that_crashed_the_robot_while_read_goes_to_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "inbox" / "processing").mkdir(parents=True)
    _left_in_processing(tmp_path, [["海关", "A211026902331080", "否", ""]])
    seen: list[Path] = []

    def crashed(path: Path, settings: Settings | None = None) -> tuple[str, str]:
        seen.append(path)
        return "crashed", "读取进程异常结束（信号 9）"

    monkeypatch.setattr(inbox_module, "probe", crashed)
    monkeypatch.setattr(inbox_module, "read_input", lambda *a, **k: pytest.fail("read again in-process"))
    assert run_watch(_settings(tmp_path), WatchRequest(once=True)) == 2
    assert seen and "中途停止" in _note(tmp_path) and "信号 9" in _note(tmp_path)
    assert not list((tmp_path / "inbox" / "processing").iterdir())


def test_a_marked_file_the_child_refuses_goes_to_failed_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "inbox" / "processing").mkdir(parents=True)
    _left_in_processing(tmp_path, [])
    assert run_watch(_settings(tmp_path), WatchRequest(once=True)) == 2
    assert "没有数据行" in _note(tmp_path)
    with InboxLedger(tmp_path / "state") as ledger:
        assert ledger.get(file_sha256(tmp_path / "inbox" / "failed" / "清单.xlsx")).state == "failed"


def test_a_reader_error_of_any_kind_files_the_workbook_and_watch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "inbox").mkdir()
    make_book(tmp_path / "inbox" / "清单.xlsx", [["海关", "A211026902331080", "否", ""]])

    def broken(*_: object, **__: object) -> None:
        raise RecursionError("deep")

    monkeypatch.setattr(inbox_module, "read_input", broken)
    assert run_watch(_settings(tmp_path), WatchRequest(once=True)) == 2
    assert "无法读取（RecursionError）" in _note(tmp_path)
    assert not list((tmp_path / "inbox" / "processing").iterdir())
    with InboxLedger(tmp_path / "state") as ledger:
        assert not ledger.was_reading(file_sha256(tmp_path / "inbox" / "failed" / "清单.xlsx"))


def test_the_probe_reads_in_a_child_process(tmp_path: Path) -> None:
    good = make_book(tmp_path / "好.xlsx", [["海关", "A211026902331080", "否", ""]])
    assert probe(good) == ("ok", "")
    verdict, detail = probe(make_book(tmp_path / "空.xlsx", []))
    assert verdict == "refused" and "没有数据行" in detail
