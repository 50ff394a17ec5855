"""Reading and validating real input workbooks (robot.books.workbook_in + robot.books.validate)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from robot.books.workbook_in import read_input
from robot.core.model import Authority, InputRow, InputWorkbook
from tests.support.input_books import CERT, CERT2, HEADER, NO1, NO2, make_book

TODAY = date(2026, 6, 1)


def read(tmp_path: Path, rows: list[list[object]], **kwargs: object) -> InputWorkbook:
    header = kwargs.pop("header", None)
    path = make_book(tmp_path / "in.xlsx", rows, header=header)  # type: ignore[arg-type]
    return read_input(path, today=TODAY, **kwargs)  # type: ignore[arg-type]


def only(book: InputWorkbook) -> InputRow:
    assert len(book.rows) == 1
    return book.rows[0]


def reasons(row: InputRow) -> str:
    return " | ".join(j.reason for j in row.rejections)


def test_valid_row_becomes_task(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", NO1, "6101930001", "一般原产地证书", "2024-05-01"]]))
    assert row.rejections == []
    assert row.task is not None
    assert (row.task.row, row.task.authority, row.task.cert_no) == (2, Authority.CUSTOMS, CERT)
    assert row.task.exported and row.task.declaration_nos == (NO1,)
    assert (row.task.exporter_code, row.task.cert_type, row.task.created_on) == (
        "6101930001",
        "一般原产地证书",
        date(2024, 5, 1),
    )


@pytest.mark.parametrize(
    "cell",
    [
        f"{NO1}；{NO2}",
        f"{NO1},{NO2}",
        f"{NO1}，{NO2}",
        f"{NO1} {NO2}",
        f"{NO1}\u3000{NO2}",
        f"{NO1}\n{NO2}",
        f"{NO1}\r\n\r\n{NO2};",
        f";{NO1};;{NO2};{NO1}",
    ],
)
def test_separators_are_normalized_and_repeats_dropped(tmp_path: Path, cell: str) -> None:
    task = only(read(tmp_path, [["海关", CERT, "是", cell]])).task
    assert task is not None
    assert task.declaration_nos == (NO1, NO2)
    assert task.declarations_text == f"{NO1};{NO2}"


def test_numeric_18_digit_cell_is_rejected_with_the_fix(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", 5.10120240000012e17]]))
    assert row.task is None
    assert row.values["报关单号"] == "5.10120240000012E+17"
    [rejection] = row.rejections
    assert rejection.column == "报关单号"
    assert "15位有效数字" in rejection.reason and "5.10120240000012E+17" in rejection.reason
    assert "文本" in rejection.reason and "'" in rejection.reason


def test_full_width_digits_are_rejected_naming_the_number(tmp_path: Path) -> None:
    number = "５１０１２０２４００００１２３４５"
    row = only(read(tmp_path, [["海关", CERT, "是", f"{NO1};{number}"]]))
    assert row.task is None
    assert "半角数字" in reasons(row) and number in reasons(row)


def test_import_declaration_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", "510120241000012345"]]))
    assert "进口报关单" in reasons(row)


@pytest.mark.parametrize("number", ["510120270000012345", "510120200000012345"])
def test_year_out_of_range_is_rejected(tmp_path: Path, number: str) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", number]]))
    assert "年份" in reasons(row) and number[4:8] in reasons(row)


def test_year_five_years_back_is_accepted(tmp_path: Path) -> None:
    assert only(read(tmp_path, [["海关", CERT, "是", "510120210000012345"]])).task is not None


@pytest.mark.parametrize("number", ["51012024000001234", "5101202400000123456", "51012024000001234X"])
def test_wrong_length_or_letters_are_rejected(tmp_path: Path, number: str) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", number]]))
    assert row.task is None and number in reasons(row)


def test_yes_without_numbers_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", None]]))
    assert "请填写报关单号" in reasons(row)


def test_no_with_numbers_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, "否", NO1]]))
    assert row.rejections[0].column == "是否实际出口"
    assert "选择“否”时不应填写报关单号" in reasons(row)


def test_no_without_numbers_is_a_task(tmp_path: Path) -> None:
    task = only(read(tmp_path, [["海关", CERT, "否", None]])).task
    assert task is not None and not task.exported and task.declaration_nos == ()


def test_blank_exported_with_numbers_means_yes(tmp_path: Path) -> None:
    task = only(read(tmp_path, [["海关", CERT, None, NO1]])).task
    assert task is not None and task.exported


def test_blank_exported_without_numbers_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, None, None]]))
    assert row.task is None and "报关单号为空" in reasons(row)


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ("Y", True),
        ("yes", True),
        ("1", True),
        ("TRUE", True),
        (True, True),
        (1, True),
        ("n", False),
        ("No", False),
        ("0", False),
        ("false", False),
        (False, False),
    ],
)
def test_exported_spellings(tmp_path: Path, cell: object, exported: bool) -> None:
    numbers = NO1 if exported else None
    task = only(read(tmp_path, [["海关", CERT, cell, numbers]])).task
    assert task is not None and task.exported is exported


def test_unknown_exported_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, "也许", NO1]]))
    assert row.rejections[0].column == "是否实际出口"


def test_unknown_authority_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["商务局", CERT, "是", NO1]]))
    assert [(j.column, j.value) for j in row.rejections] == [("签证机构", "商务局")]


def test_blank_authority_without_default_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [[None, CERT, "是", NO1]]))
    assert "--authority" in reasons(row)


def test_missing_authority_column_uses_default(tmp_path: Path) -> None:
    book = read(
        tmp_path, [["24C6101A0001/00012", NO1]], header=["证明号", "报关单号"], default_authority=Authority.CCPIT
    )
    task = only(book).task
    assert task is not None and task.authority is Authority.CCPIT


def test_missing_authority_column_without_default_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [[CERT, NO1]], header=["证明号", "报关单号"]))
    assert [j.column for j in row.rejections] == ["签证机构"]


def test_missing_cert_no_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", None, "是", NO1]]))
    assert [(j.column, j.reason) for j in row.rejections] == [("证明号", "证明号不能为空")]


def test_cert_no_is_trimmed_and_uppercased(tmp_path: Path) -> None:
    task = only(read(tmp_path, [["海关", " a211026902331080\u3000", "是", NO1]])).task
    assert task is not None and task.cert_no == CERT


@pytest.mark.parametrize("cert", ["A21102690233108", "AB11026902331080", "24C6101A0001/00012"])
def test_customs_cert_no_must_be_letter_and_15_digits(tmp_path: Path, cert: str) -> None:
    row = only(read(tmp_path, [["海关", cert, "是", NO1]]))
    assert row.rejections[0].column == "证明号"


@pytest.mark.parametrize("cert", ["24C6101A0001/00012", "24C6101A0001", "C2461010001"])
def test_ccpit_cert_no_is_lenient(tmp_path: Path, cert: str) -> None:
    assert only(read(tmp_path, [["贸促会", cert, "是", NO1]])).task is not None


def test_ccpit_cert_no_with_other_shape_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["贸促会", "24C-6101", "是", NO1]]))
    assert row.rejections[0].column == "证明号"


def test_short_numeric_cert_no_is_rejected_as_wrong_format(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["贸促会", 246101, "是", NO1]]))
    assert "字母" in reasons(row)


def test_long_numeric_cert_no_is_rejected_as_truncated(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["贸促会", 2461010001000123.0, "是", NO1]]))
    assert "15位有效数字" in reasons(row)


@pytest.mark.parametrize("code", ["6101930001", "91610131MA6TXXXX1A", 6101930001])
def test_exporter_code_accepted(tmp_path: Path, code: object) -> None:
    task = only(read(tmp_path, [["海关", CERT, "是", NO1, code]])).task
    assert task is not None and task.exporter_code == str(code)


def test_bad_exporter_code_is_rejected(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", NO1, "61019"]]))
    assert [j.column for j in row.rejections] == ["出口商代码"]


@pytest.mark.parametrize("cell", [datetime(2024, 5, 1), date(2024, 5, 1), "2024/5/1", "20240501", 20240501])
def test_created_on_forms(tmp_path: Path, cell: object) -> None:
    task = only(read(tmp_path, [["海关", CERT, "是", NO1, None, None, cell]])).task
    assert task is not None and task.created_on == date(2024, 5, 1)


@pytest.mark.parametrize("cell", ["2024-02-30", "5月1日", 45413])
def test_bad_created_on_is_rejected(tmp_path: Path, cell: object) -> None:
    row = only(read(tmp_path, [["海关", CERT, "是", NO1, None, None, cell]]))
    assert [j.column for j in row.rejections] == ["证明创建日期"]


def test_several_rejections_in_one_row(tmp_path: Path) -> None:
    row = only(read(tmp_path, [["商务局", "A1", "是", "510120241000012345"]]))
    assert {j.column for j in row.rejections} == {"签证机构", "证明号", "报关单号"}


def test_same_cert_with_different_numbers_rejects_all_rows(tmp_path: Path) -> None:
    book = read(tmp_path, [["海关", CERT, "是", NO1], ["海关", CERT2, "是", NO1], ["海关", CERT, "是", NO2]])
    first, other, last = book.rows
    assert other.task is not None
    assert first.task is None and "与第4行同一证明号但报关单号不同" in reasons(first)
    assert last.task is None and "与第2行同一证明号但报关单号不同" in reasons(last)


def test_same_cert_with_different_exported_rejects_both(tmp_path: Path) -> None:
    book = read(tmp_path, [["海关", CERT, "是", NO1], ["海关", CERT, "否", None]])
    assert all(r.task is None and "是否实际出口不同" in reasons(r) for r in book.rows)


def test_exact_duplicate_keeps_first_and_rejects_later(tmp_path: Path) -> None:
    book = read(tmp_path, [["海关", CERT, "是", f"{NO1};{NO2}"], ["海关", CERT.lower(), None, f"{NO2},{NO1}"]])
    first, later = book.rows
    assert first.task is not None
    assert later.task is None and "与第2行重复" in reasons(later)


def test_same_cert_no_under_other_authority_is_no_conflict(tmp_path: Path) -> None:
    book = read(tmp_path, [["海关", CERT, "是", NO1], ["贸促会", CERT, "是", NO2]])
    assert len(book.tasks) == 2


def test_empty_rows_are_skipped_and_rows_keep_excel_numbers(tmp_path: Path) -> None:
    book = read(tmp_path, [["海关", CERT, "是", NO1], [], [None, "  ", "\u3000"], ["海关", CERT2, "是", NO2]])
    assert [r.row for r in book.rows] == [2, 5]


def test_values_keep_text_as_given_and_extra_columns(tmp_path: Path) -> None:
    header = [*HEADER, "备注"]
    row = only(
        read(tmp_path, [["海关", f" {CERT} ", "是", f"{NO1}；{NO2}", 6101930001, None, None, "=1+1"]], header=header)
    )
    assert row.values["证明号"] == f" {CERT} "
    assert row.values["报关单号"] == f"{NO1}；{NO2}"
    assert row.values["出口商代码"] == "6101930001"
    assert row.values["证明类型"] == ""
    assert row.values["备注"] == "=1+1"


def test_header_is_first_non_empty_row_and_matched_loosely(tmp_path: Path) -> None:
    path = make_book(
        tmp_path / "in.xlsx",
        [[], [" 签证 机构", "证明号\u3000", "报关单号", "Remarks"], ["海关", CERT, NO1, "x"]],
        header=[],
    )
    book = read_input(path, today=TODAY)
    assert book.headers == ["签证 机构", "证明号", "报关单号", "Remarks"]
    assert [r.row for r in book.rows] == [4]
    assert book.tasks[0].cert_no == CERT


def test_english_alias_headers(tmp_path: Path) -> None:
    book = read(
        tmp_path, [["customs", CERT, "yes", NO1]], header=["Authority", "CERT_NO", "exported", "declaration_nos"]
    )
    assert len(book.tasks) == 1


def test_rejection_uses_header_as_written(tmp_path: Path) -> None:
    row = only(read(tmp_path, [[CERT, "1"]], header=["证明号", "DECLARATION_NOS"], default_authority=Authority.CUSTOMS))
    assert row.rejections[0].column == "DECLARATION_NOS"
    assert row.rejections[0].message().startswith("第2行 列【DECLARATION_NOS】值“1”：")


def test_tasks_and_rejections_properties(tmp_path: Path) -> None:
    book = read(tmp_path, [["海关", CERT, "是", NO1], ["海关", CERT2, "是", "1"]])
    assert [t.row for t in book.tasks] == [2]
    assert [j.row for j in book.rejections] == [3]
