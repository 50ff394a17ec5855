"""The unpacked-size guard of input workbooks: a zip bomb is refused before any reader parses it, with
bounded memory, by `corobot validate`, by the reader behind `run`, and by `watch` (the file goes to failed/)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from robot.books.workbook_in import read_input
from robot.books.xlsx_guard import check_unpacked_size
from robot.commands.cli import main
from robot.core.config import Settings
from robot.core.errors import InputFileError
from robot.ops.watch import WatchRequest, run_watch
from tests.support.input_books import make_book
from tests.support.zip_bomb import zip_bomb


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "炸弹.xlsx", 200)


def test_bomb_is_refused_with_bounded_memory(bomb: Path) -> None:
    assert bomb.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(InputFileError, match="解压后超过 64 MB"):
            read_input(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20


def test_a_normal_workbook_passes(tmp_path: Path) -> None:
    path = make_book(tmp_path / "正常.xlsx", [["海关", "A211026902331080", "否", ""]])
    check_unpacked_size(path)


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "假.xlsx"
    fake.write_text("签证机构,证明号\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"不是 \.xlsx"):
        check_unpacked_size(fake)


def test_validate_refuses_the_bomb(bomb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(bomb)]) == 2
    assert "解压后超过" in capsys.readouterr().err


def test_watch_files_the_bomb_under_failed_with_a_note(bomb: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / bomb.name).write_bytes(bomb.read_bytes())
    settings = Settings(state_dir=tmp_path / "state", inbox_dir=inbox, inbox_settle_s=0.05)
    assert run_watch(settings, WatchRequest(once=True)) == 2
    note = inbox / "failed" / f"{bomb.name}.说明.txt"
    assert "解压后超过" in note.read_text(encoding="utf-8-sig")


def test_a_zip_with_an_encrypted_part_is_refused_not_crashed(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
    data = bytearray(buffer.getvalue())
    data[6] |= 1  # general purpose flag: encrypted, in the local header
    data[data.find(b"PK\x01\x02") + 8] |= 1  # and in the central directory
    path = tmp_path / "加密.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputFileError, match="已加密"):
        check_unpacked_size(path)
    with pytest.raises(InputFileError, match="已加密"):
        read_input(path)
