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
from tests.support.hostile.package import GOOD, Package, Sheet, lying_zip
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


def test_a_lying_header_is_refused_whatever_it_declares(tmp_path: Path) -> None:
    """A part declaring 1 MiB (with the CRC of its first MiB) that inflates to 80 MiB: counted as inflated."""
    parts = Package([Sheet.table("补录清单", [GOOD])]).parts()
    parts["xl/worksheets/sheet1.xml"] += b" " * (80 * 2**20)
    path = lying_zip(tmp_path / "谎报.xlsx", parts, "xl/worksheets/sheet1.xml", 2**20)
    tracemalloc.start()
    try:
        with pytest.raises(InputFileError, match="解压后超过 64 MB"):
            check_unpacked_size(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20


def test_a_part_smaller_or_larger_than_declared_is_refused(tmp_path: Path) -> None:
    parts = Package([Sheet.table("补录清单", [GOOD])]).parts()
    path = lying_zip(tmp_path / "谎报.xlsx", parts, "xl/worksheets/sheet1.xml", 10 * 2**20)
    with pytest.raises(InputFileError, match="声明的大小与实际解压的大小不符"):
        check_unpacked_size(path)


def test_the_bound_is_the_setting(tmp_path: Path) -> None:
    parts = Package([Sheet.table("补录清单", [GOOD])]).parts()
    parts["xl/worksheets/sheet1.xml"] += b" " * (3 * 2**20)
    path = tmp_path / "大.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    assert read_input(path).tasks
    with pytest.raises(InputFileError, match="max_unpacked_mb"):
        read_input(path, settings=Settings(max_unpacked_mb=2))


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    sheet = Sheet.table("补录清单", [GOOD])
    sheet.raw = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
        + Package([sheet]).parts()["xl/worksheets/sheet1.xml"].split(b"?>", 1)[1]
    )
    path = Package([sheet]).write(tmp_path / "实体.xlsx")
    with pytest.raises(InputFileError, match="实体声明"):
        check_unpacked_size(path)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le"), "已加密"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 .xls"),
        ("签证机构,证明号\n海关,A211026902331080\n".encode("gb18030"), "文本文件"),
    ],
)
def test_what_a_file_that_is_not_a_zip_is_named(tmp_path: Path, data: bytes, said: str) -> None:
    path = tmp_path / "假.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=said):
        read_input(path)


def test_a_central_directory_pointing_before_the_file_is_refused_as_damaged(tmp_path: Path) -> None:
    book = make_book(tmp_path / "好.xlsx", [["海关", "C261234567890123", "否", ""]])
    data = bytearray(book.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    offset = int.from_bytes(data[end + 16 : end + 20], "little")
    data[end + 16 : end + 20] = (offset + 100).to_bytes(4, "little")  # the first part's offset becomes -100
    bad = tmp_path / "偏移.xlsx"
    bad.write_bytes(bytes(data))
    assert min(m.header_offset for m in zipfile.ZipFile(bad).infolist()) < 0
    with pytest.raises(InputFileError, match="文件已损坏或不完整"):
        read_input(bad)


def test_a_zip_asking_for_an_unknown_zip_version_is_refused(tmp_path: Path) -> None:
    book = make_book(tmp_path / "好.xlsx", [["海关", "C261234567890123", "否", ""]])
    data = bytearray(book.read_bytes())
    entry = data.find(b"PK\x01\x02")  # the central directory's first entry: its "version needed" field
    data[entry + 6 : entry + 8] = (236).to_bytes(2, "little")  # zip 23.6, which zipfile refuses to read
    odd = tmp_path / "版本.xlsx"
    odd.write_bytes(bytes(data))
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(odd)
    with pytest.raises(InputFileError, match=r"不是 \.xlsx 工作簿"):
        read_input(odd)
