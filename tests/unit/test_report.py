"""The result workbook (robot.books.report) read back with openpyxl and as raw XML."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from robot.books.report import ADDED_COLUMNS, count_results, report_name, write_report
from robot.books.workbook_in import read_input
from robot.core.model import InputWorkbook, Result, RowOutcome, RunSummary
from tests.support.input_books import CERT, CERT2, HEADER, NO1, make_book

AT = datetime(2026, 5, 2, 9, 30, 15)
TRICKY = ["=1+1", "+86 29", "-5", "@sum", '=HYPERLINK("http://x")']


def summary(tmp_path: Path, dry_run: bool = False) -> RunSummary:
    return RunSummary(
        started_at=datetime(2026, 5, 2, 9, 0),
        finished_at=datetime(2026, 5, 2, 9, 45),
        portal_url="http://127.0.0.1:8000",
        account="exporter1",
        robot_version="0.1.0",
        input_path=tmp_path / "in.xlsx",
        dry_run=dry_run,
    )


def book(tmp_path: Path) -> InputWorkbook:
    rows: list[list[object]] = [
        ["海关", CERT, "是", NO1, None, None, None, TRICKY[0]],
        ["海关", CERT2, "是", "123", None, None, None, TRICKY[1]],
        ["海关", "A211026902331082", "否", None, None, None, None, TRICKY[2]],
        ["海关", "A211026902331083", "否", None, None, None, None, TRICKY[3]],
        ["海关", "A211026902331084", "否", None, None, None, None, TRICKY[4]],
    ]
    path = make_book(tmp_path / "in.xlsx", rows, header=[*HEADER, "备注"])
    return read_input(path, today=date(2026, 5, 1))


def outcomes(tmp_path: Path) -> dict[int, RowOutcome]:
    shot = tmp_path / "evidence" / "row-2.png"
    shot.parent.mkdir()
    shot.write_bytes(b"png")
    return {
        2: RowOutcome(2, Result.SUCCESS, "提交成功", "已申报", AT, [shot]),
        4: RowOutcome(4, Result.FAILED, "未找到证书", "", AT),
        5: RowOutcome(5, Result.SKIPPED, "已补录", "海关接收成功", AT),
    }


def detail(tmp_path: Path) -> tuple[Path, Worksheet]:
    path = write_report(tmp_path / "out" / "r.xlsx", book(tmp_path), outcomes(tmp_path), summary(tmp_path))
    return path, load_workbook(path)["明细"]


def column(ws: Worksheet, name: str) -> list[object]:
    headers = [c.value for c in ws[1]]
    i = headers.index(name)
    return [row[i].value for row in ws.iter_rows(min_row=2)]


def test_report_name() -> None:
    assert report_name(Path("/x/补录 5月.xlsx"), AT) == "补录 5月-结果-20260502-093015.xlsx"


def test_sheets_and_detail_header(tmp_path: Path) -> None:
    path, ws = detail(tmp_path)
    assert load_workbook(path).sheetnames == ["汇总", "明细"]
    assert [c.value for c in ws[1]] == [*HEADER, "备注", *ADDED_COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:N6"


def test_results_and_messages(tmp_path: Path) -> None:
    _, ws = detail(tmp_path)
    assert column(ws, "处理结果") == ["成功", "无效", "失败", "跳过", "未处理"]
    messages = column(ws, "说明")
    assert messages[0] == "提交成功" and "【报关单号】" in str(messages[1]) and "123" in str(messages[1])
    assert column(ws, "补录状态")[:4] == ["已申报", None, None, "海关接收成功"]


def test_result_cells_are_coloured(tmp_path: Path) -> None:
    _, ws = detail(tmp_path)
    i = [c.value for c in ws[1]].index("处理结果")
    colours = [row[i].fill.fgColor.rgb for row in ws.iter_rows(min_row=2, max_row=5)]
    assert colours == ["FFC6EFCE", "FFFFD8A8", "FFFFC7CE", "FFD9D9D9"]


def test_every_cell_is_text_except_processing_time(tmp_path: Path) -> None:
    _, ws = detail(tmp_path)
    times = [c.column for c in ws[1] if c.value == "处理时间"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.column in times and cell.row > 1:
                continue
            if cell.value is not None:
                assert cell.data_type == "s", cell.coordinate
            assert cell.number_format == "@", cell.coordinate
    assert column(ws, "处理时间") == [AT, None, AT, AT, None]


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    path, ws = detail(tmp_path)
    assert column(ws, "备注") == TRICKY
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert "<f>" not in xml and "<f " not in xml


def test_input_values_are_written_as_given(tmp_path: Path) -> None:
    _, ws = detail(tmp_path)
    assert column(ws, "证明号")[0] == CERT
    assert column(ws, "报关单号")[0] == NO1


def test_evidence_links_relative_to_report(tmp_path: Path) -> None:
    _, ws = detail(tmp_path)
    i = [c.value for c in ws[1]].index("证据")
    cell = ws.cell(row=2, column=i + 1)
    assert cell.value == "../evidence/row-2.png"
    assert cell.hyperlink is not None  # Excel's own form of a relative file link uses backslashes
    assert cell.hyperlink.target.replace("\\", "/") == "../evidence/row-2.png"
    assert ws.cell(row=3, column=i + 1).hyperlink is None


def test_summary_sheet(tmp_path: Path) -> None:
    path = write_report(tmp_path / "r.xlsx", book(tmp_path), outcomes(tmp_path), summary(tmp_path, dry_run=True))
    ws = load_workbook(path)["汇总"]
    facts = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value}
    assert facts["成功"] == 1 and facts["失败"] == 1 and facts["跳过"] == 1 and facts["无效"] == 1
    assert facts["未处理"] == 1 and facts["合计"] == 5
    assert facts["试运行(dry run)"] == "是" and facts["账号"] == "exporter1"
    assert facts["开始时间"] == "2026-05-02 09:00:00" and facts["结束时间"] == "2026-05-02 09:45:00"
    assert facts["门户地址"] == "http://127.0.0.1:8000" and facts["机器人版本"] == "0.1.0"
    assert facts["输入文件"] == str(tmp_path / "in.xlsx")


def test_summary_has_outcome_colours_and_a_chart(tmp_path: Path) -> None:
    path = write_report(tmp_path / "r.xlsx", book(tmp_path), outcomes(tmp_path), summary(tmp_path))
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert any(n.startswith("xl/charts/chart") for n in names)
    assert "conditionalFormatting" in sheet_xml


def test_portal_entries_sheet_has_dates_and_text_numbers(tmp_path: Path) -> None:
    entries = [{"证明号": "C251026902330782", "报关单号": "900120250000000001", "补录时间": "2026-11-27 04:44:40"}]
    path = write_report(tmp_path / "r.xlsx", book(tmp_path), {}, summary(tmp_path), portal_entries=entries)
    ws = load_workbook(path)["补录信息"]
    assert [c.value for c in ws[1]] == ["证明号", "报关单号", "补录时间"]
    assert ws["B2"].value == "900120250000000001" and ws["B2"].data_type == "s"
    assert ws["C2"].value == datetime(2026, 11, 27, 4, 44, 40)


def test_count_results(tmp_path: Path) -> None:
    counts = count_results(book(tmp_path), outcomes(tmp_path))
    assert counts == {"成功": 1, "已提交，待回执": 0, "失败": 1, "跳过": 1, "无效": 1, "未处理": 1, "合计": 5}


def test_overwrites_existing_report_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")
    write_report(target, book(tmp_path), {}, summary(tmp_path))
    assert load_workbook(target).sheetnames == ["汇总", "明细"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["in.xlsx", "r.xlsx"]


def test_submitted_rows_awaiting_their_receipt_are_counted_apart_from_success(tmp_path: Path) -> None:
    rows = outcomes(tmp_path) | {2: RowOutcome(2, Result.SUBMITTED, "提交成功", "待海关接收", AT)}
    path = write_report(tmp_path / "r.xlsx", book(tmp_path), rows, summary(tmp_path))
    facts = {row[0].value: row[1].value for row in load_workbook(path)["汇总"].iter_rows() if row[0].value}
    assert facts["已提交，待回执"] == 1 and facts["成功"] == 0 and facts["合计"] == 5
    assert column(load_workbook(path)["明细"], "处理结果")[0] == "已提交，待回执"


def test_summary_lists_awaiting_receipt_only_when_some_rows_are(tmp_path: Path) -> None:
    path = write_report(tmp_path / "r.xlsx", book(tmp_path), outcomes(tmp_path), summary(tmp_path))
    labels = [row[0].value for row in load_workbook(path)["汇总"].iter_rows(max_col=1)]
    assert "已提交，待回执" not in labels and "成功" in labels
