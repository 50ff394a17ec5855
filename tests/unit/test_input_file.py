"""Input files that cannot be used at all raise InputFileError."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from openpyxl import Workbook

from robot.books.workbook_in import read_input
from robot.commands.cli import main
from robot.core.config import Settings
from robot.core.errors import CorobotError, InputFileError
from robot.core.model import Authority
from tests.support.hostile.package import GOOD, HEADER, Cell, Package, Sheet, row_cells
from tests.support.input_books import CERT, CERT2, NO1, NO2, make_book


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


# -- typed by the parsed workbook, within the limits (issue 18) ------------------------------------------


def _na(column: int, **kw: object) -> Package:
    values: list[object] = list(GOOD)
    values[column] = Cell("", "e", v="#N/A")
    return Package([Sheet.table("补录清单", [tuple(values)])], **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"prefix": "x"},
        {"quote": "'"},
        {"paths": ["xl/odd/data.xml"]},
        {"strict": True},
        {"prefix": "x", "quote": "'", "absolute_targets": True},
    ],
    ids=["plain", "x-prefix", "single-quotes", "odd-path", "strict", "all"],
)
def test_an_error_cell_is_a_formula_error_whatever_the_xml(tmp_path: Path, kw: dict[str, object]) -> None:
    path = _na(2, **kw).write(tmp_path / "in.xlsx")
    [row] = read_input(path).rows
    assert row.task is None
    assert [r.message() for r in row.rejections] == [
        "第2行 列【是否实际出口】值“#N/A”：公式错误 #N/A：公式的结果是错误值（例如 VLOOKUP 没有找到），"
        "请改正公式或直接填写值"
    ]


def test_an_error_in_the_authority_never_falls_back_to_the_default(tmp_path: Path) -> None:
    values: list[object] = list(GOOD)
    values[0] = Cell("", "e", v="#REF!")
    path = Package([Sheet.table("补录清单", [tuple(values)])], prefix="x").write(tmp_path / "in.xlsx")
    [row] = read_input(path, default_authority=Authority.CCPIT).rows
    assert row.task is None and "公式错误 #REF!" in row.rejections[0].reason


def test_a_formula_without_a_cached_value_is_its_own_reason(tmp_path: Path) -> None:
    path = Package([Sheet.table("补录清单", [("海关", CERT, "是", Cell("", f="A1&B1"))])]).write(tmp_path / "in.xlsx")
    [row] = read_input(path).rows
    assert [r.column for r in row.rejections] == ["报关单号"]
    assert "公式没有计算结果" in row.rejections[0].reason and row.rejections[0].value == "=A1&B1"


def test_a_header_merged_over_columns_is_refused(tmp_path: Path) -> None:
    sheet = Sheet.table("补录清单", [(*GOOD, NO2)])
    sheet.merges.append("D1:E1")
    with pytest.raises(InputFileError, match=r"“报关单号”是合并单元格（D1:E1，跨 2 列）"):
        read_input(Package([sheet]).write(tmp_path / "in.xlsx"))


def test_merged_data_cells_in_a_column_read_reject_their_rows(tmp_path: Path) -> None:
    sheet = Sheet.table("补录清单", [GOOD, (None, CERT2, "否", None)])
    sheet.merges.append("A2:A3")
    book = read_input(Package([sheet]).write(tmp_path / "in.xlsx"), default_authority=Authority.CCPIT)
    assert not book.tasks and all("合并单元格（A2:A3）" in r.rejections[0].reason for r in book.rows)


def test_a_sheet_with_only_its_header_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_book(tmp_path / "in.xlsx", [])
    with pytest.raises(InputFileError, match="只有表头（第1行），没有数据行"):
        read_input(path)
    assert main(["validate", str(path)]) == 2
    assert "没有数据行" in capsys.readouterr().err


def test_a_refusal_names_the_sheet_read_and_the_others(tmp_path: Path) -> None:
    notes = Sheet("填写说明", rows=[(1, row_cells(1, ["列", "说明"]))])
    path = Package([notes, Sheet.table("数据", [GOOD])]).write(tmp_path / "in.xlsx")
    with pytest.raises(InputFileError, match=r"读取的工作表：“填写说明”；其他工作表：“数据”.*--sheet 数据"):
        read_input(path)
    assert read_input(path, sheet="数据").tasks


@pytest.mark.parametrize(
    ("value", "named"),
    [
        (CERT + "\u200b", "零宽空格 U+200B"),
        ("\ufeff" + CERT, "BOM"),
        (CERT + "\x7f", "控制字符 U+007F"),
    ],
)
def test_invisible_characters_are_named(tmp_path: Path, value: str, named: str) -> None:
    path = Package([Sheet.table("补录清单", [("海关", value, "否", None)])]).write(tmp_path / "in.xlsx")
    [row] = read_input(path).rows
    assert [r.column for r in row.rejections] == ["证明号"] and named in row.rejections[0].reason


def test_a_long_value_is_cut_in_messages(tmp_path: Path) -> None:
    path = Package([Sheet.table("补录清单", [("海关", "X" * 3000, "否", None)])]).write(tmp_path / "in.xlsx")
    [row] = read_input(path).rows
    assert row.rejections[0].value == "X" * 50 + "…（共 3000 个字符）"


def test_a_cell_over_max_cell_chars_rejects_its_row_and_is_never_held_whole(tmp_path: Path) -> None:
    path = Package([Sheet.table("补录清单", [(*GOOD, "长" * 500)], (*HEADER, "备注"))]).write(tmp_path / "in.xlsx")
    [row] = read_input(path, settings=Settings(max_cell_chars=100)).rows
    assert row.task is None and "max_cell_chars" in row.rejections[0].reason
    assert len(row.values["备注"]) == 100 and row.rejections[0].value.endswith("（共 500 个字符）")


def test_more_rows_than_max_rows_are_refused(tmp_path: Path) -> None:
    path = make_book(tmp_path / "in.xlsx", [["海关", f"A21102690233108{i}", "否", ""] for i in range(4)])
    assert len(read_input(path, settings=Settings(max_rows=4)).rows) == 4
    with pytest.raises(InputFileError, match="超过 3 行（设置 max_rows）"):
        read_input(path, settings=Settings(max_rows=3))


def test_more_text_than_max_text_chars_is_refused(tmp_path: Path) -> None:
    """Cells pointing at one long shared text are cheap to store and would make a report of gigabytes."""
    long = "说明" * 500
    path = make_book(tmp_path / "in.xlsx", [["海关", f"A21102690233108{i}", "否", long] for i in range(5)])
    assert len(read_input(path, settings=Settings(max_text_chars=6_000)).rows) == 5
    with pytest.raises(InputFileError, match=r"超过 4000 个字符（设置 max_text_chars，到第5行为止）"):
        read_input(path, settings=Settings(max_text_chars=4_000))


def test_a_header_wider_than_max_columns_is_refused(tmp_path: Path) -> None:
    path = make_book(tmp_path / "in.xlsx", [["海关", CERT, "否", ""]])
    with pytest.raises(InputFileError, match="超过 3 列（设置 max_columns）"):
        read_input(path, settings=Settings(max_columns=3))


def test_a_single_cell_at_xfd1048576_costs_nothing(tmp_path: Path) -> None:
    sheet = Sheet.table("补录清单", [GOOD])
    sheet.before = '<dimension ref="A1:XFD1048576"/>'
    sheet.rows.append((1048576, [Cell("XFD1048576", "inlineStr", inline="x")]))
    path = Package([sheet]).write(tmp_path / "in.xlsx")
    tracemalloc.start()
    try:
        book = read_input(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(book.tasks) == 1 and peak < 16 * 2**20
