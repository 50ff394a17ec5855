"""Reading the input workbook (.xlsx) into an `InputWorkbook` of rows, tasks and rejections.

Owns the file side: opening (cached values of formulas), choosing the sheet, finding the header
(first non-empty row), mapping headers to columns and skipping empty rows. Cells are read with
python-calamine (a compiled reader, about 4× faster than openpyxl on 10,000 rows); it gives numbers as
floats, so a long number Excel stored as a number still shows as a number and is rejected. Calamine
reads error cells (#N/A, #REF! …) as empty, which would hide them: a workbook holding any is read
with openpyxl instead, which gives their text, so validation rejects them. The rules live in
`robot.books.validate`. A file that cannot be used at all raises `InputFileError` (Chinese message);
its unpacked size is bounded first (`robot.books.xlsx_guard`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from loguru import logger
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from robot.books import columns as C
from robot.books.validate import EXCEL_DIGITS, Checked, cell_text, reject_conflicts, validate_row
from robot.books.xlsx_guard import check_unpacked_size
from robot.core.errors import InputFileError
from robot.core.model import Authority, InputRow, InputWorkbook

DEFAULT_SHEET = "补录清单"


def read_input(
    path: Path,
    sheet: str | None = None,
    default_authority: Authority | None = None,
    today: date | None = None,
) -> InputWorkbook:
    """Read and validate every data row of `path` (sheet `sheet`, else 补录清单, else the first)."""
    path = Path(path)
    today = today or date.today()
    title, grid = _read(path, sheet)
    rows = iter(grid)
    header_row, header_cells = _header(rows, path, title)
    headers, positions = _columns(header_cells, header_row)
    key_headers = {key: headers[i] for key, i in positions.items()}
    width = len(headers)
    input_rows: list[InputRow] = []
    checked: list[Checked] = []
    for offset, cells in enumerate(rows, start=header_row + 1):
        cells = tuple(cells[:width])
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        cells += (None,) * (width - len(cells))
        values = {h: cell_text(v) for h, v in zip(headers, cells, strict=True)}
        raw = {key: cells[i] for key, i in positions.items()}
        c = validate_row(offset, raw, key_headers, default_authority=default_authority, today=today)
        input_rows.append(InputRow(row=offset, values=values))
        checked.append(c)
    reject_conflicts(checked, key_headers)
    for input_row, c in zip(input_rows, checked, strict=True):
        input_row.task, input_row.rejections = c.task, c.rejections
    book = InputWorkbook(path=path, sheet=title, headers=headers, rows=input_rows)
    logger.info(
        "输入文件 {}：{} 行数据，{} 行有效，{} 行无效",
        path.name, len(input_rows), len(book.tasks), sum(1 for r in input_rows if r.rejections),
    )
    return book


Grid = list[tuple[object, ...]]
ERROR_CELL = re.compile(rb'<c\b[^>]*\bt="e"')


def _read(path: Path, sheet: str | None) -> tuple[str, Grid]:
    """The chosen sheet's name and its rows from A1 on (positions are Excel's), cells typed as openpyxl
    types them: empty None, whole numbers Excel holds exactly as int, longer ones float, error cells text."""
    if not path.exists():
        raise InputFileError(f"找不到输入文件：{path}")
    if path.suffix.lower() == ".xls":
        raise InputFileError(f"不支持旧版 .xls 文件：{path.name}。请在 Excel 中另存为 .xlsx 后再试")
    check_unpacked_size(path)  # a zip bomb is refused before any reader unpacks it
    try:
        if _has_error_cells(path):
            return _read_openpyxl(path, sheet)
        return _read_calamine(path, sheet)
    except InputFileError:
        raise
    except Exception as exc:  # zip, xml, password (encrypted) and OS errors of either reader
        raise InputFileError(f"无法打开输入文件 {path.name}（需要 .xlsx 格式，且未加密）：{exc}") from exc


def _has_error_cells(path: Path) -> bool:
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and ERROR_CELL.search(book.read(name)):
                return True
    return False


def _read_calamine(path: Path, sheet: str | None) -> tuple[str, Grid]:
    wb = CalamineWorkbook.from_path(str(path))
    try:
        name = _choose(list(wb.sheet_names), sheet, path)
        grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)  # from A1, empty rows/columns kept
        return name, [tuple(_cell(v) for v in row) for row in grid]
    finally:
        wb.close()


def _read_openpyxl(path: Path, sheet: str | None) -> tuple[str, Grid]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        name = _choose(list(wb.sheetnames), sheet, path)
        ws = wb[name]
        ws.reset_dimensions()  # some writers store a wrong <dimension>: read what is there
        return name, [tuple(row) for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _choose(names: list[str], sheet: str | None, path: Path) -> str:
    if sheet is not None:
        if sheet not in names:
            raise InputFileError(f"输入文件 {path.name} 中没有工作表“{sheet}”（现有：{'、'.join(names)}）")
        return sheet
    return DEFAULT_SHEET if DEFAULT_SHEET in names else names[0]


def _cell(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**EXCEL_DIGITS:
        return int(value)
    return value


def _header(rows: Iterator[tuple[object, ...]], path: Path, title: str) -> tuple[int, tuple[object, ...]]:
    for number, cells in enumerate(rows, start=1):
        if any(v is not None and cell_text(v).strip() for v in cells):
            return number, tuple(cells)
    raise InputFileError(f"输入文件 {path.name} 的工作表“{title}”是空的：找不到表头行")


def _columns(cells: tuple[object, ...], header_row: int) -> tuple[list[str], dict[str, int]]:
    """Headers as written (blank ones named 列X, repeats suffixed) and column key -> position."""
    last = max(i for i, v in enumerate(cells) if cell_text(v).strip())
    headers: list[str] = []
    positions: dict[str, int] = {}
    for i, value in enumerate(cells[: last + 1]):
        text = cell_text(value).strip() or f"列{get_column_letter(i + 1)}"
        column = C.match_header(text)
        if column is not None:
            if column.key in positions:
                raise InputFileError(
                    f"表头（第{header_row}行）中列【{column.header}】出现了两次"
                    f"（第{get_column_letter(positions[column.key] + 1)}列和第{get_column_letter(i + 1)}列）"
                )
            positions[column.key] = i
        unique, n = text, 2
        while unique in headers:
            unique, n = f"{text}({n})", n + 1
        headers.append(unique)
    missing = [c.header for c in C.COLUMNS if c.required and c.key not in positions]
    if missing:
        found = "、".join(headers)
        raise InputFileError(
            f"表头（第{header_row}行）缺少列：{'、'.join(f'【{m}】' for m in missing)}。"
            f"表头应为第一个非空行，当前为：{found}"
        )
    logger.debug("表头第{}行：{}", header_row, headers)
    return headers, positions
