"""The result workbook: 汇总 (counts and run facts) and 明细 (every input row plus the robot's columns).

Owns how results are shown to staff. Input cells are written back exactly as read, as text
(never a number, never a formula: `write_string` with the Text format "@"); 处理时间 is a real
date-time; 证据 links to the evidence files by paths relative to the report. Rows without an
outcome are shown as 无效 when they were rejected at input and as 未处理 otherwise (e.g. an
interrupted run). A row sent whose receipt was not read yet is 已提交，待回执, counted apart from 成功
(海关接收成功); 未处理 and 已提交，待回执 are listed in 汇总 only when some rows have them.

Written with XlsxWriter in constant-memory mode: openpyxl's writer needs ~7 s for 10,000 rows of
13 styled cells, XlsxWriter ~2 s. The file is written to a temporary name, then moved into place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import xlsxwriter
from loguru import logger
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from robot.books.entries_sheet import EntriesSheet
from robot.core.model import COUNT_ORDER, TOTAL, InputRow, InputWorkbook, Result, RowOutcome, RunSummary

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "明细"
ADDED_COLUMNS = ("处理结果", "说明", "补录状态", "处理时间", "证据", "账号")
ACCOUNT_COLUMN = "账号"
"""The account the row went to; named 处理账号 when the input has its own column 账号."""
NOT_PROCESSED = Result.UNPROCESSED.value
SHOWN_WHEN_ANY = frozenset({NOT_PROCESSED, Result.SUBMITTED.value})
"""处理结果 that 汇总 lists only when some rows have them (most runs have none)."""
TEXT_FORMAT = "@"
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
HEADER_COLOUR = "#DDEBF7"
ADDED_COLOUR = "#FFF2CC"
RESULT_COLOURS = {
    Result.SUCCESS.value: "#C6EFCE",  # green
    Result.SUBMITTED.value: "#DDEBF7",  # light blue: sent, the customs' answer still to come
    Result.FAILED.value: "#FFC7CE",  # red
    Result.SKIPPED.value: "#D9D9D9",  # grey
    Result.INVALID.value: "#FFD8A8",  # orange
}
ADDED_WIDTHS = (10, 50, 14, 20, 36, 14)
WIDTH_SAMPLE = 500  # rows looked at to size a column


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
    """Counts per 处理结果 (COUNT_ORDER: 成功, 已提交，待回执, 失败, 跳过, 无效, 未处理) and 合计."""
    counts = {r.value: 0 for r in Result}
    for row in book.rows:
        result, _ = row_outcome(row, outcomes.get(row.row))
        counts[result] = counts.get(result, 0) + 1
    counts[TOTAL] = len(book.rows)
    return counts


def count_by_account(book: InputWorkbook, outcomes: dict[int, RowOutcome]) -> dict[str, dict[str, int]]:
    """Counts per 处理结果 for each account label (rows without an account under "")."""
    per: dict[str, dict[str, int]] = {}
    for row in book.rows:
        result, _ = row_outcome(row, outcomes.get(row.row))
        counts = per.setdefault(row.account, {r.value: 0 for r in Result} | {TOTAL: 0})
        counts[result] += 1
        counts[TOTAL] += 1
    return per


def write_report(
    path: Path,
    book: InputWorkbook,
    outcomes: dict[int, RowOutcome],
    summary: RunSummary,
    portal_entries: list[dict[str, str]] | None = None,
) -> Path:
    """Write the result workbook to `path` (folders created, an old file replaced) and return `path`.

    `portal_entries`, when given, become the sheet 补录信息 (this run's certificates as the portal shows them).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.xlsx")
    wb = xlsxwriter.Workbook(
        str(tmp),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )
    try:
        styles = _Styles(wb)
        ws = wb.add_worksheet(SUMMARY_SHEET)
        end = _summary(ws, styles, count_results(book, outcomes), summary)
        _per_account(ws, styles, count_by_account(book, outcomes), end + 2)
        _detail(wb.add_worksheet(DETAIL_SHEET), styles, book, outcomes, path.parent)
        if portal_entries is not None:
            sheet = EntriesSheet(wb)
            sheet.write(portal_entries)
            sheet.finish()
    finally:
        wb.close()
    os.replace(tmp, path)
    logger.info("结果文件：{}", path)
    return path


class _Styles:
    """The few cell formats of the report (all text-formatted except the time)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        def add(**props: object) -> Format:
            return wb.add_format({"num_format": TEXT_FORMAT, "valign": "top", **props})

        self.text = add()
        self.wrap = add(text_wrap=True)
        self.header = add(bold=True, bg_color=HEADER_COLOUR, border=1)
        self.added_header = add(bold=True, bg_color=ADDED_COLOUR, border=1)
        self.bold = add(bold=True)
        self.results = {name: add(bg_color=colour) for name, colour in RESULT_COLOURS.items()}
        self.link = add(font_color="#0563C1", underline=1, text_wrap=True)
        self.time = wb.add_format({"num_format": TIME_FORMAT, "valign": "top"})
        self.count = wb.add_format({"num_format": "0", "valign": "top"})
        self.count_total = wb.add_format({"num_format": "0", "valign": "top", "bold": True})
        self.conditional = {name: wb.add_format({"bg_color": colour}) for name, colour in RESULT_COLOURS.items()}
        self.workbook = wb


def _put(ws: Worksheet, row: int, col: int, value: str, fmt: Format) -> None:
    """A literal text cell (blank cells keep the Text format)."""
    if value:
        ws.write_string(row, col, value, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def _summary(ws: Worksheet, st: _Styles, counts: dict[str, int], s: RunSummary) -> int:
    """The run's facts and counts; returns the last row written."""
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 60)
    facts = (
        ("输入文件", str(s.input_path)),
        ("试运行(dry run)", "是" if s.dry_run else "否"),
        ("开始时间", f"{s.started_at:%Y-%m-%d %H:%M:%S}"),
        ("结束时间", f"{s.finished_at:%Y-%m-%d %H:%M:%S}"),
        ("门户地址", s.portal_url),
        ("账号", s.account),
        ("机器人版本", s.robot_version),
    )
    _put(ws, 0, 0, "项目", st.header)
    _put(ws, 0, 1, "内容", st.header)
    r = 1
    for label, value in facts:
        _put(ws, r, 0, label, st.text)
        _put(ws, r, 1, value, st.text)
        r += 1
    r += 1
    _put(ws, r, 0, "处理结果", st.header)
    _put(ws, r, 1, "行数", st.header)
    first = r + 1
    shown = [(label, n) for label, n in counts.items() if n or label not in SHOWN_WHEN_ANY]
    for label, n in shown:
        r += 1
        _put(ws, r, 0, label, st.bold if label == TOTAL else st.text)
        ws.write_number(r, 1, n, st.count_total if label == TOTAL else st.count)
    last = r - 1 if TOTAL in counts else r  # the chart and colours leave out 合计
    for label in RESULT_COLOURS:
        ws.conditional_format(
            first,
            0,
            last,
            1,
            {"type": "formula", "criteria": f'=$A{first + 1}="{label}"', "format": st.conditional[label]},
        )
    chart = st.workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "处理结果",
            "categories": [ws.name, first, 0, last, 0],
            "values": [ws.name, first, 1, last, 1],
            "points": [
                {"fill": {"color": RESULT_COLOURS.get(label, "#BFBFBF")}} for label, _ in shown[: last - first + 1]
            ],
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": "处理结果"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 420, "height": 240})
    ws.insert_chart(1, 3, chart)
    return r


def _per_account(ws: Worksheet, st: _Styles, per: dict[str, dict[str, int]], top: int) -> None:
    """各账号处理结果: one line per account, one column per 处理结果 (from row `top`)."""
    labels = list(COUNT_ORDER)
    _put(ws, top, 0, "各账号处理结果", st.bold)
    _put(ws, top + 1, 0, "账号 \\ 处理结果", st.header)
    for c, label in enumerate(labels, start=1):
        _put(ws, top + 1, c, label, st.header)
    for r, (account, counts) in enumerate(per.items(), start=top + 2):
        _put(ws, r, 0, account or "（未确定）", st.text)
        for c, label in enumerate(labels, start=1):
            ws.write_number(r, c, counts.get(label, 0), st.count_total if label == TOTAL else st.count)


def _detail(ws: Worksheet, st: _Styles, book: InputWorkbook, outcomes: dict[int, RowOutcome], base: Path) -> None:
    headers = list(book.headers)
    added = ["处理账号" if h == ACCOUNT_COLUMN and h in headers else h for h in ADDED_COLUMNS]
    n_cols = len(headers) + len(ADDED_COLUMNS)
    for i, header in enumerate(headers):
        ws.set_column(i, i, _width(header, (r.values.get(header, "") for r in book.rows[:WIDTH_SAMPLE])))
    for i, width in enumerate(ADDED_WIDTHS, start=len(headers)):
        ws.set_column(i, i, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(book.rows), 1), n_cols - 1)
    for i, header in enumerate(headers):
        _put(ws, 0, i, header, st.header)
    for i, header in enumerate(added, start=len(headers)):
        _put(ws, 0, i, header, st.added_header)
    first_added = len(headers)
    base_dir = os.path.abspath(base)
    for r, row in enumerate(book.rows, start=1):
        for i, header in enumerate(headers):
            _put(ws, r, i, row.values.get(header, ""), st.text)
        outcome = outcomes.get(row.row)
        result, message = row_outcome(row, outcome)
        _put(ws, r, first_added, result, st.results.get(result, st.text))
        _put(ws, r, first_added + 1, message, st.wrap)
        _put(ws, r, first_added + 2, outcome.status if outcome else "", st.text)
        if outcome is not None and outcome.processed_at is not None:
            ws.write_datetime(r, first_added + 3, outcome.processed_at, st.time)
        else:
            _put(ws, r, first_added + 3, "", st.text)
        _evidence(ws, r, first_added + 4, outcome.evidence if outcome else [], base_dir, st)
        _put(ws, r, first_added + 5, row.account, st.text)


def _link(evidence: Path, base: str) -> str:
    """A path relative to the report's folder `base` (absolute; forward slashes), or a file URI."""
    absolute = os.path.abspath(evidence)
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(absolute).as_uri()


def _evidence(ws: Worksheet, r: int, c: int, evidence: list[Path], base: str, st: _Styles) -> None:
    """Every evidence path, one per line; the cell links to the first one."""
    links = [_link(e, base) for e in evidence]
    if not links:
        _put(ws, r, c, "", st.text)
        return
    target = links[0] if links[0].startswith("file:") else f"external:{links[0]}"
    ws.write_url(r, c, target, st.link, string="\n".join(links), tip="打开证据截图")


def _width(header: str, values: Iterable[str]) -> float:
    """Column width for a header and its values: display width (CJK counts 2), 8..50."""
    longest = _display(header) + 2
    for value in values:
        longest = max(longest, _display(value.split("\n", 1)[0]))
    return min(50, max(8, longest + 2))


def _display(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E7F)
