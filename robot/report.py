"""The result workbook: 汇总 (counts and run facts) and 明细 (every input row plus the robot's columns).

Owns how results are shown to staff. Input cells are written back exactly as read, as text
(never a number, never a formula); 处理时间 is a real date-time; 证据 links to the evidence files
by paths relative to the report. Rows without an outcome are shown as 无效 when they were rejected
at input and as 未处理 otherwise (e.g. an interrupted run). Written in write-only mode (fast),
to a temporary file first, then moved into place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from loguru import logger
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from robot.model import InputRow, InputWorkbook, Result, RowOutcome, RunSummary
from robot.xlsx_text import text_cell

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "明细"
ADDED_COLUMNS = ("处理结果", "说明", "补录状态", "处理时间", "证据")
NOT_PROCESSED = "未处理"
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ADDED_FILL = PatternFill("solid", fgColor="FFF2CC")
LINK_FONT = Font(color="0563C1", underline="single")
RESULT_FILLS = {
    Result.SUCCESS.value: PatternFill("solid", fgColor="C6EFCE"),
    Result.FAILED.value: PatternFill("solid", fgColor="FFC7CE"),
    Result.SKIPPED.value: PatternFill("solid", fgColor="D9D9D9"),
    Result.INVALID.value: PatternFill("solid", fgColor="FFD8A8"),
}
ADDED_WIDTHS = (10, 50, 14, 20, 36)


def report_name(input_path: Path, started: datetime) -> str:
    """`<input stem>-结果-<YYYYMMDD-HHMMSS>.xlsx`."""
    return f"{Path(input_path).stem}-结果-{started:%Y%m%d-%H%M%S}.xlsx"


def row_outcome(row: InputRow, outcome: RowOutcome | None) -> tuple[str, str]:
    """处理结果 and 说明 of one row: the outcome's, or 无效 with the rejections, or 未处理."""
    reasons = "；".join(f"【{j.column}】{j.reason}" for j in row.rejections)
    if outcome is None:
        return (Result.INVALID.value, reasons) if row.rejections else (NOT_PROCESSED, "")
    message = outcome.message or (reasons if outcome.result is Result.INVALID else "")
    return outcome.result.value, message


def count_results(book: InputWorkbook, outcomes: dict[int, RowOutcome]) -> dict[str, int]:
    """Counts per 处理结果 (成功/失败/跳过/无效, 未处理 when any) and 合计."""
    counts = {r.value: 0 for r in Result}
    for row in book.rows:
        result, _ = row_outcome(row, outcomes.get(row.row))
        counts[result] = counts.get(result, 0) + 1
    counts["合计"] = len(book.rows)
    return counts


def write_report(path: Path, book: InputWorkbook, outcomes: dict[int, RowOutcome], summary: RunSummary) -> Path:
    """Write the result workbook to `path` (folders created) and return `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    _summary(wb.create_sheet(SUMMARY_SHEET), count_results(book, outcomes), summary)
    _detail(wb.create_sheet(DETAIL_SHEET), book, outcomes, path.parent)
    tmp = path.with_name(f".{path.stem}.tmp.xlsx")
    wb.save(tmp)
    os.replace(tmp, path)
    logger.info("结果文件：{}", path)
    return path


def _header_cell(ws: WriteOnlyWorksheet, text: str, fill: PatternFill = HEADER_FILL) -> Cell:
    cell = text_cell(ws, text)
    cell.font, cell.fill = HEADER_FONT, fill
    return cell


def _summary(ws: WriteOnlyWorksheet, counts: dict[str, int], s: RunSummary) -> None:
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60
    ws.append([_header_cell(ws, "项目"), _header_cell(ws, "内容")])
    facts = (
        ("输入文件", str(s.input_path)),
        ("试运行(dry run)", "是" if s.dry_run else "否"),
        ("开始时间", f"{s.started_at:%Y-%m-%d %H:%M:%S}"),
        ("结束时间", f"{s.finished_at:%Y-%m-%d %H:%M:%S}"),
        ("门户地址", s.portal_url),
        ("账号", s.account),
        ("机器人版本", s.robot_version),
    )
    for label, value in facts:
        ws.append([text_cell(ws, label), text_cell(ws, value)])
    ws.append([])
    ws.append([_header_cell(ws, "处理结果"), _header_cell(ws, "行数")])
    for label, n in counts.items():
        if label == NOT_PROCESSED and n == 0:
            continue
        cell = text_cell(ws, label)
        if label in RESULT_FILLS:
            cell.fill = RESULT_FILLS[label]
        if label == "合计":
            cell.font = HEADER_FONT
        ws.append([cell, text_cell(ws, str(n))])


def _detail(ws: WriteOnlyWorksheet, book: InputWorkbook, outcomes: dict[int, RowOutcome], base: Path) -> None:
    headers = list(book.headers)
    for i, header in enumerate(headers, start=1):
        values = (r.values.get(header, "") for r in book.rows)
        ws.column_dimensions[get_column_letter(i)].width = _width(header, values)
    for i, width in enumerate(ADDED_WIDTHS, start=len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last_col = get_column_letter(len(headers) + len(ADDED_COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_col}{len(book.rows) + 1}"
    ws.append([_header_cell(ws, h) for h in headers] + [_header_cell(ws, h, ADDED_FILL) for h in ADDED_COLUMNS])
    for row in book.rows:
        outcome = outcomes.get(row.row)
        result, message = row_outcome(row, outcome)
        cells = [text_cell(ws, row.values.get(h, "")) for h in headers]
        result_cell = text_cell(ws, result)
        if result in RESULT_FILLS:
            result_cell.fill = RESULT_FILLS[result]
        cells += [result_cell, text_cell(ws, message), text_cell(ws, outcome.status if outcome else "")]
        cells += [_time_cell(ws, outcome.processed_at if outcome else None),
                  _evidence_cell(ws, outcome.evidence if outcome else [], base)]
        ws.append(cells)


def _time_cell(ws: WriteOnlyWorksheet, at: datetime | None) -> Cell:
    if at is None:
        return text_cell(ws, "")
    cell = WriteOnlyCell(ws, value=at.replace(tzinfo=None))
    cell.number_format = TIME_FORMAT
    return cell


def _link(evidence: Path, base: Path) -> str:
    """A path relative to the report's folder (forward slashes), or a file URI when impossible."""
    try:
        return Path(os.path.relpath(Path(evidence).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(evidence).resolve().as_uri()


def _evidence_cell(ws: WriteOnlyWorksheet, evidence: list[Path], base: Path) -> Cell:
    """Every evidence path, one per line; the cell links to the first one."""
    links = [_link(e, base) for e in evidence]
    cell = text_cell(ws, "\n".join(links))
    if links:
        cell.hyperlink = links[0]
        cell.font = LINK_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _width(header: str, values: Iterable[str]) -> float:
    """Column width for a header and its values: display width (CJK counts 2), 8..50."""
    longest = _display(header) + 2
    for i, value in enumerate(values):
        if i >= 500:
            break
        longest = max(longest, _display(str(value).split("\n", 1)[0]))
    return min(50, max(8, longest + 2))


def _display(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E7F)
