"""Input files that cannot be used at all raise InputFileError."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from robot.books.workbook_in import read_input
from robot.core.errors import CorobotError, InputFileError
from tests.support.input_books import CERT, NO1, make_book


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="找不到"):
        read_input(tmp_path / "nope.xlsx")


def test_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputFileError, match="无法打开"):
        read_input(path)


def test_old_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "in.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputFileError, match="xlsx"):
        read_input(path)


def test_empty_sheet_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    Workbook().save(path)
    with pytest.raises(InputFileError, match="表头"):
        read_input(path)


def test_missing_required_column(tmp_path: Path) -> None:
    path = make_book(tmp_path / "in.xlsx", [["海关", CERT]], header=["签证机构", "证明号"])
    with pytest.raises(InputFileError, match="报关单号"):
        read_input(path)


def test_repeated_known_column(tmp_path: Path) -> None:
    path = make_book(tmp_path / "in.xlsx", [[CERT, NO1, NO1]], header=["证明号", "报关单号", "报关单号"])
    with pytest.raises(InputFileError, match="两次"):
        read_input(path)


def test_unknown_sheet_name(tmp_path: Path) -> None:
    path = make_book(tmp_path / "in.xlsx", [])
    with pytest.raises(InputFileError, match="没有工作表"):
        read_input(path, sheet="Sheet9")


def test_input_file_error_is_a_corobot_error() -> None:
    assert issubclass(InputFileError, CorobotError)


def test_sheet_named_buluqingdan_is_preferred(tmp_path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["随便写点什么"])
    data = wb.create_sheet("补录清单")
    data.append(["签证机构", "证明号", "报关单号"])
    data.append(["海关", CERT, NO1])
    path = tmp_path / "in.xlsx"
    wb.save(path)
    book = read_input(path)
    assert book.sheet == "补录清单" and len(book.tasks) == 1


def test_header_below_and_right_of_a1_keeps_excel_positions(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["E3"], ws["F3"] = "签证机构", "证明号", "是否实际出口", "报关单号"
    ws["C5"], ws["D5"], ws["E5"], ws["F5"] = "海关", CERT, "是", NO1
    wb.save(path)
    book = read_input(path)
    assert [r.row for r in book.rows] == [5]
    assert book.headers[:3] == ["列A", "列B", "签证机构"]
    assert book.tasks and book.tasks[0].cert_no == CERT


def test_long_number_stays_a_truncated_number(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["签证机构", "证明号", "是否实际出口", "报关单号"])
    ws.append(["海关", CERT, "是", 510120240000012345])  # Excel keeps 15 digits: 510120240000012000
    wb.save(path)
    row = read_input(path).rows[0]
    assert row.task is None
    assert any("15位有效数字" in r.reason for r in row.rejections)
    assert row.values["报关单号"] == "5.10120240000012E+17"


def test_error_cells_are_rejected_not_read_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["签证机构", "证明号", "是否实际出口", "报关单号"])
    ws.append(["海关", CERT, "否", None])
    ws["D2"].value, ws["D2"].data_type = "#N/A", "e"  # e.g. a VLOOKUP that found nothing
    wb.save(path)
    row = read_input(path).rows[0]
    assert row.task is None
    assert row.values["报关单号"] == "#N/A"
