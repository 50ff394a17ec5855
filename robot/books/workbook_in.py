"""Reading the input workbook (.xlsx) into an `InputWorkbook` of rows, tasks and rejections.

Owns the file side: the package guard first (`robot.books.xlsx_guard`), then choosing the sheet (`--sheet`,
else 补录清单, else the first), finding the header (first non-empty row), mapping headers to columns and
skipping empty rows. Cells are streamed row by row (`robot.books.xlsx_stream`, typed by the workbook:
error values, formulas without a result and over-long texts are markers validation rejects), within the
limits of the settings: `max_rows` data rows, `max_columns` header columns, `max_cell_chars` per cell,
`max_text_chars` of cell text in all, `max_unpacked_mb` unpacked. A header merged over several columns is
refused; merged cells over the data of a column the robot reads reject their rows. The rules on values
live in `robot.books.validate`. A file that cannot be used at all raises `InputFileError`; its message
names the sheet read and the others.
"""

from __future__ import annotations

import bisect
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loguru import logger
from openpyxl.utils import get_column_letter

from robot.books import columns as C
from robot.books.cells import TooLong, clip, invisible_characters
from robot.books.validate import Checked, cell_text, reject_conflicts, unusable_reason, validate_row
from robot.books.xlsx_guard import MIB, SAVE_AS, check_package
from robot.books.xlsx_stream import (
    Book,
    PackageError,
    Row,
    SheetReader,
    SheetRef,
    load_shared,
    load_styles,
    open_book,
)
from robot.core.config import Settings
from robot.core.errors import InputFileError
from robot.core.model import Authority, InputRow, InputWorkbook, Rejection

DEFAULT_SHEET = "补录清单"


@dataclass(frozen=True)
class Limits:
    """The input limits of the settings (robot.core.config)."""

    max_rows: int
    max_columns: int
    max_cell_chars: int
    max_unpacked_bytes: int
    max_text_chars: int

    @classmethod
    def of(cls, settings: Settings | None) -> Limits:
        s = settings or Settings()
        return cls(s.max_rows, s.max_columns, s.max_cell_chars, int(s.max_unpacked_mb * MIB), s.max_text_chars)


def read_input(
    path: Path,
    sheet: str | None = None,
    default_authority: Authority | None = None,
    today: date | None = None,
    settings: Settings | None = None,
) -> InputWorkbook:
    """Read and validate every data row of `path` (sheet `sheet`, else 补录清单, else the first)."""
    path = Path(path)
    limits = Limits.of(settings)
    if not path.exists():
        raise InputFileError(f"找不到输入文件：{path}")
    if path.suffix.lower() == ".xls":
        raise InputFileError(f"不支持旧版 .xls 文件：{path.name}。请在 Excel 中另存为 .xlsx 后再试")
    check_package(path, limits.max_unpacked_bytes)  # a zip bomb is refused before anything is parsed
    try:
        with zipfile.ZipFile(path) as archive:
            book = open_book(archive)
            return _read_book(path, book, sheet, default_authority, today or date.today(), limits)
    except InputFileError:
        raise
    except PackageError as exc:
        raise InputFileError(f"无法打开输入文件 {path.name}：{exc}。{SAVE_AS}") from exc
    except Exception as exc:  # zip (CRC), OS and other errors of a damaged package
        logger.debug("读取 {} 出错：{!r}", path.name, exc)
        raise InputFileError(f"无法打开输入文件 {path.name}：文件已损坏（{type(exc).__name__}）。{SAVE_AS}") from exc


def _read_book(
    path: Path, book: Book, sheet: str | None, default_authority: Authority | None, today: date, limits: Limits
) -> InputWorkbook:
    names = [s.name for s in book.sheets]
    chosen = _choose(book, sheet, path)
    where = _where(chosen.name, names)
    if not chosen.part:
        raise InputFileError(f"输入文件 {path.name} 的工作表“{clip(chosen.name)}”不是普通工作表（如图表工作表）{where}")
    load_styles(book)
    load_shared(book, limits.max_cell_chars)
    reader = SheetReader(book, chosen.part, limits.max_cell_chars, limits.max_columns)
    rows = reader.rows()
    header_row, header_cells = _header(rows, path, where, limits)
    headers, positions = _columns(header_cells, header_row, where)
    reader.keep_columns = width = len(headers)
    key_headers = {key: headers[i] for key, i in positions.items()}
    input_rows: list[InputRow] = []
    checked: list[Checked] = []
    for number, cells in _data_rows(rows, width, limits, f"输入文件 {path.name} ", where):
        values = {h: cell_text(v) for h, v in zip(headers, cells, strict=True)}
        raw = {key: cells[i] for key, i in positions.items()}
        c = validate_row(number, raw, key_headers, default_authority=default_authority, today=today)
        _reject_long(c, headers, cells, positions)
        input_rows.append(InputRow(row=number, values=values))
        checked.append(c)
    _check_merges(reader.merges, header_row, headers, positions, checked, where)
    if not input_rows:
        raise InputFileError(
            f"输入文件 {path.name} 的工作表“{clip(chosen.name)}”只有表头（第{header_row}行），没有数据行{where}"
        )
    reject_conflicts(checked, key_headers)
    for input_row, c in zip(input_rows, checked, strict=True):
        input_row.task, input_row.rejections = c.task, c.rejections
    result = InputWorkbook(path=path, sheet=chosen.name, headers=headers, rows=input_rows)
    logger.info(
        "输入文件 {}（工作表“{}”）：{} 行数据，{} 行有效，{} 行无效",
        path.name,
        clip(chosen.name),
        len(input_rows),
        len(result.tasks),
        sum(1 for r in input_rows if r.rejections),
    )
    return result


def _data_rows(
    rows: Iterator[Row], width: int, limits: Limits, what: str, where: str
) -> list[tuple[int, list[object]]]:
    """The non-empty rows below the header, `width` cells each; all of them first, so that a sheet over
    `max_rows` rows or `max_text_chars` characters of text is refused before any row is checked."""
    data: list[tuple[int, list[object]]] = []
    text = 0
    for number, sparse, _ in rows:
        cells: list[object] = [None] * width
        for column, value in sparse:
            if column <= width:  # rows parsed before the header's width was known may hold more
                cells[column - 1] = value
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if len(data) >= limits.max_rows:
            raise InputFileError(
                f"{what}的数据超过 {limits.max_rows} 行（设置 max_rows），未读取：请分成几个文件{where}"
            )
        text += sum(len(v) for v in cells if isinstance(v, str))
        if text > limits.max_text_chars:
            raise InputFileError(
                f"{what}的单元格文字合计超过 {limits.max_text_chars} 个字符（设置 max_text_chars，"
                f"到第{number}行为止），未读取：请分成几个文件或删去多余的文字{where}"
            )
        data.append((number, cells))
    return data


def _choose(book: Book, sheet: str | None, path: Path) -> SheetRef:
    names = [s.name for s in book.sheets]
    if sheet is not None:
        for ref in book.sheets:
            if ref.name == sheet:
                return ref
        raise InputFileError(f"输入文件 {path.name} 中没有工作表“{clip(sheet)}”（现有：{_names(names)}）")
    for ref in book.sheets:
        if ref.name == DEFAULT_SHEET:
            return ref
    return book.sheets[0]


def _names(names: list[str], shown: int = 10) -> str:
    listed = "、".join(f"“{clip(n)}”" for n in names[:shown])
    return listed if len(names) <= shown else f"{listed} 等 {len(names)} 个"


def _where(chosen: str, names: list[str]) -> str:
    """Which sheet was read, and the others (with the --sheet advice), for refusals."""
    others = [n for n in names if n != chosen]
    if not others:
        return f"（读取的工作表：“{clip(chosen)}”）"
    return (
        f"（读取的工作表：“{clip(chosen)}”；其他工作表：{_names(others)}。"
        f"数据在其他工作表时，请用 --sheet 指定，例如 --sheet {clip(others[0])}）"
    )


def _header(rows: Iterator[Row], path: Path, where: str, limits: Limits) -> tuple[int, tuple[object, ...]]:
    for number, sparse, overflow in rows:
        if not overflow and not any(cell_text(v).strip() for _, v in sparse):
            continue
        if overflow:
            raise InputFileError(
                f"输入文件 {path.name} 的表头（第{number}行）超过 {limits.max_columns} 列（设置 max_columns），"
                f"未读取：请删除多余的列{where}"
            )
        cells: list[object] = [None] * max(c for c, _ in sparse)
        for column, value in sparse:
            if isinstance(value, TooLong):
                raise InputFileError(
                    f"输入文件 {path.name} 的表头（第{number}行第{get_column_letter(column)}列）"
                    f"过长（{value.length} 个字符）：“{clip(value)}”{where}"
                )
            cells[column - 1] = value
        return number, tuple(cells)
    raise InputFileError(f"输入文件 {path.name} 的工作表是空的：找不到表头行{where}")


def _columns(cells: tuple[object, ...], header_row: int, where: str) -> tuple[list[str], dict[str, int]]:
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
                    f"（第{get_column_letter(positions[column.key] + 1)}列和第{get_column_letter(i + 1)}列）{where}"
                )
            positions[column.key] = i
        unique, n = text, 2
        while unique in headers:
            unique, n = f"{text}({n})", n + 1
        headers.append(unique)
    missing = [c.header for c in C.COLUMNS if c.required and c.key not in positions]
    if missing:
        found = "、".join(clip(h) for h in headers)
        hidden = "".join(
            f"。表头“{clip(h)}”含不可见字符：{'、'.join(invisible_characters(h))}，请删除后重新输入"
            for h in headers
            if invisible_characters(h)
        )
        raise InputFileError(
            f"表头（第{header_row}行）缺少列：{'、'.join(f'【{m}】' for m in missing)}。"
            f"表头应为第一个非空行，当前为：{found}{hidden}{where}"
        )
    logger.debug("表头第{}行：{}", header_row, [clip(h) for h in headers])
    return headers, positions


def _reject_long(c: Checked, headers: list[str], cells: list[object], positions: dict[str, int]) -> None:
    """A cell longer than max_cell_chars in a column validation does not read still rejects its row (the
    result workbook could not carry it whole)."""
    read = set(positions.values())
    for i, value in enumerate(cells):
        if isinstance(value, TooLong) and i not in read:
            c.rejections.append(Rejection(c.row, headers[i], clip(value), unusable_reason(value) or ""))
            c.task = None


def _check_merges(
    merges: list[tuple[int, int, int, int]],
    header_row: int,
    headers: list[str],
    positions: dict[str, int],
    checked: list[Checked],
    where: str,
) -> None:
    """A header merged over several columns is refused (only its first column would be read); merged cells
    over the data of a column the robot reads reject the rows they cover (only the first holds the value)."""
    width = len(headers)
    read = {i + 1: key for key, i in positions.items()}
    numbers = [c.row for c in checked]
    for r1, c1, r2, c2 in merges:
        ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
        if r1 <= header_row <= r2 and c2 > c1 and c1 <= width:
            raise InputFileError(
                f"表头（第{header_row}行）“{clip(headers[c1 - 1])}”是合并单元格（{ref}，跨 {c2 - c1 + 1} 列），未读取："
                f"合并后只有第一列有值。请取消合并，每列一个表头（多个报关单号请写在同一单元格，用 ; 分隔）{where}"
            )
        columns = [read[c] for c in range(c1, min(c2, width) + 1) if c in read]
        if r2 <= header_row or not columns:
            continue
        reason = f"合并单元格（{ref}）：合并后只有第一个单元格有值，请取消合并并在每行填写"
        column = headers[positions[columns[0]]]
        for c in checked[bisect.bisect_left(numbers, r1) : bisect.bisect_right(numbers, r2)]:
            c.rejections.append(Rejection(c.row, column, "", reason))
            c.task = None
