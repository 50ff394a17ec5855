"""The input template and the pre-filled template (robot.books.template)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from robot.books.template import write_prefilled, write_template
from robot.books.workbook_in import read_input
from robot.core.errors import InputFileError
from tests.support.input_books import CERT, HEADER, NO1, NO2


def test_template_sheets_and_header(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["补录清单", "填写说明"]
    ws = wb["补录清单"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.freeze_panes == "A2"


def test_template_number_columns_are_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    ws = load_workbook(path)["补录清单"]
    for letter in ("B", "D", "E"):  # 证明号, 报关单号, 出口商代码
        assert ws[f"{letter}2"].number_format == "@"
        assert ws[f"{letter}1000"].number_format == "@"


def test_template_has_drop_downs(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    ws = load_workbook(path)["补录清单"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {"A2:A1000": '"海关,贸促会"', "C2:C1000": '"是,否"'}


def test_template_help_explains_every_column(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    ws = load_workbook(path)["填写说明"]
    names = [ws.cell(row=r, column=1).value for r in range(2, 2 + len(HEADER))]
    assert names == HEADER
    text = "".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "英文分号" in text and "文本" in text


def test_blank_template_is_refused_as_having_no_data_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    with pytest.raises(InputFileError, match=r"只有表头.*没有数据行.*补录清单"):
        read_input(path)


def test_prefilled_cells_are_text_and_read_back_as_tasks(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    write_prefilled(
        path,
        [
            {
                "签证机构": "海关",
                "证明号": CERT,
                "报关单号": f"{NO1};{NO2}",
                "出口商代码": "6101930001",
                "证明创建日期": "2024-05-01",
            }
        ],
    )
    ws = load_workbook(path)["补录清单"]
    for cell in ws[2]:
        if cell.value is not None:
            assert cell.data_type == "s" and cell.number_format == "@"
    [task] = read_input(path, today=date(2026, 1, 1)).tasks
    assert task.declaration_nos == (NO1, NO2) and task.created_on == date(2024, 5, 1)


def test_prefilled_accepts_aliases_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    write_prefilled(path, [{"cert_no": CERT, "备注": "=1+1"}])
    ws = load_workbook(path)["补录清单"]
    assert [c.value for c in ws[1]] == [*HEADER, "备注"]
    assert ws["B2"].value == CERT
    assert ws["H2"].value == "=1+1" and ws["H2"].data_type == "s"
