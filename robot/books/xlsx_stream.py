"""A streaming reader of .xlsx packages: the sheets the package relationships name, and each sheet's cells
row by row, typed as the workbook types them — never the used-range rectangle.

Memory is that of one XML block and one row at a time (cells past `keep_columns` are not kept), whatever
the sheet's dimension says: a single cell at XFD1048576 costs nothing. The XML is parsed with expat,
namespace-aware (any prefix, `x:c` as the OpenXML SDK writes it, any quoting), transitional or Strict
OOXML, and a DTD or entity declaration is refused (entity bombs, external entities). Part paths come from
the relationships (`_rels/.rels` → workbook → its `.rels`), not from the usual names.

Cell values: None (empty, never yielded), str, int (whole numbers Excel holds exactly, below 10^15), float
(every other number: an 18-digit number stored as a number stays a float and is rejected later), bool,
datetime (a number with a date format), and the markers of `robot.books.cells`: `CellError` (t="e"),
`NoCachedValue` (a formula saved without its result), `TooLong` (a text longer than `max_cell_chars`).
"""

from __future__ import annotations

import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import IO

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from robot.books.cells import CellError, NoCachedValue, TooLong

BLOCK = 1 << 16
EXACT_DIGITS = 15
CJK_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 59))
"""Built-in number formats of East Asian Excel that are dates (e.g. 31: yyyy"年"m"月"d"日")."""
BUILTIN_DATES = frozenset(i for i, code in BUILTIN_FORMATS.items() if is_date_format(code)) | CJK_DATE_FORMATS
CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
MAX_COLUMN = 16_384


Row = tuple[int, list[tuple[int, object]], bool]


class PackageError(ValueError):
    """The package cannot be read as a workbook; the message is for users (Chinese)."""


@dataclass(frozen=True)
class SheetRef:
    name: str
    part: str
    """Path of the sheet's XML part inside the zip ('' when it is not a worksheet, e.g. a chart sheet)."""


@dataclass
class Book:
    """An open package: its worksheets in workbook order, shared strings and date styles."""

    archive: zipfile.ZipFile
    sheets: list[SheetRef]
    shared_part: str | None
    styles_part: str | None
    epoch: datetime = CALENDAR_WINDOWS_1900
    shared: list[str] = field(default_factory=list)
    date_styles: frozenset[int] = frozenset()

    def close(self) -> None:
        self.archive.close()


def open_book(archive: zipfile.ZipFile) -> Book:
    """Reads the package relationships and the workbook part (sheet names and parts, the 1904 flag)."""
    root = _rels(archive, "_rels/.rels")
    workbook = next((t for kind, t in root if kind.endswith("/officeDocument")), "xl/workbook.xml")
    rels = dict(_rel_ids(archive, _rels_path(workbook), workbook))
    sheets: list[SheetRef] = []
    flags: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id" and k != "sheetId"), "")
            kind, target = rels.get(rid, ("", ""))
            sheets.append(SheetRef(attrs.get("name", ""), target if kind.endswith("/worksheet") else ""))
        elif local == "workbookPr":
            flags.update(attrs)

    _parse_part(archive, workbook, start)
    if not sheets:
        raise PackageError("工作簿中没有工作表")
    kinds = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    if not rels:  # no relationships part: the parts where Excel puts them
        names = set(archive.namelist())
        sheets = [
            replace(s, part=p if (p := f"xl/worksheets/sheet{i}.xml") in names else "")
            for i, s in enumerate(sheets, start=1)
        ]
        kinds = {
            k: p for k, p in (("sharedStrings", "xl/sharedStrings.xml"), ("styles", "xl/styles.xml")) if p in names
        }
    book = Book(archive, sheets, kinds.get("sharedStrings"), kinds.get("styles"))
    if flags.get("date1904", "").lower() in ("1", "true"):
        book.epoch = CALENDAR_MAC_1904
    return book


def load_shared(book: Book, max_chars: int) -> None:
    """The shared strings (phonetic runs left out), each cut to `max_chars` (a `TooLong` beyond)."""
    if book.shared_part is None or book.shared_part not in book.archive.namelist():
        return
    out = book.shared
    text = _Text(max_chars)
    state = {"in_si": False, "ph": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            text.reset()
            state["in_si"] = True
        elif local == "rPh":
            state["ph"] += 1
        elif local == "t" and state["in_si"] and not state["ph"]:
            text.on = True

    def end(name: str) -> None:
        local = _local(name)
        if local == "t":
            text.on = False
        elif local == "rPh":
            state["ph"] -= 1
        elif local == "si":
            out.append(text.value())
            state["in_si"] = False

    _parse_part(book.archive, book.shared_part, start, end, text.feed)


def load_styles(book: Book) -> None:
    """Which cell style indices (cellXfs) have a date number format."""
    if book.styles_part is None or book.styles_part not in book.archive.namelist():
        return
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"cell_xfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "numFmt":
            custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            state["cell_xfs"] = True
        elif local == "xf" and state["cell_xfs"]:
            xfs.append(_int(attrs.get("numFmtId")))

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            state["cell_xfs"] = False

    _parse_part(book.archive, book.styles_part, start, end)

    def is_date(fmt: int) -> bool:
        return is_date_format(custom[fmt]) if fmt in custom else fmt in BUILTIN_DATES

    book.date_styles = frozenset(i for i, fmt in enumerate(xfs) if is_date(fmt))


@dataclass
class SheetReader:
    """Streams one worksheet: `rows()` yields (row number, [(column, value)], overflow) for rows holding a
    value, overflow telling a value right of `keep_columns` was left out; afterwards `merges` holds the
    merged ranges (min_row, min_col, max_row, max_col) that reach into the kept columns."""

    book: Book
    part: str
    max_chars: int
    keep_columns: int
    """Cells right of this column are not kept (the caller may lower it while reading)."""
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    def rows(self) -> Iterator[Row]:  # noqa: C901
        ready: list[Row] = []
        cells: list[tuple[int, object]] = []
        text = _Text(self.max_chars)
        formula = _Text(self.max_chars)
        st = _CellState()
        shared, dates, epoch = self.book.shared, self.book.date_styles, self.book.epoch

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _LOCAL.get(name) or _local(name)
            if local == "c":
                st.kind = attrs.get("t", "n")
                st.style = attrs.get("s")
                st.has_value = st.has_formula = False
                ref = attrs.get("r")
                st.column = _column(ref) if ref else st.column + 1
                text.reset()
            elif local == "v" or (local == "t" and st.kind == "inlineStr" and not st.phonetic):
                text.on = True
                st.has_value = True
            elif local == "f":
                st.has_formula = True
                formula.reset()
                formula.on = True
            elif local == "row":
                ref = attrs.get("r")
                try:
                    st.row = int(ref) if ref else st.row + 1
                except ValueError:
                    st.row = _int(ref, st.row + 1)
                st.column = 0
                st.overflow = False
                cells.clear()
            elif local == "rPh":
                st.phonetic += 1
            elif local == "mergeCell":
                self._merge(attrs.get("ref", ""))

        def end(name: str) -> None:
            local = _LOCAL.get(name) or _local(name)
            if local == "c":
                value = _value(st, text, formula, shared, dates, epoch)
                if value is None:
                    return
                if st.column > self.keep_columns:
                    st.overflow = True
                    return
                cells.append((st.column, value))
            elif local in ("v", "t"):
                text.on = False
            elif local == "f":
                formula.on = False
            elif local == "row":
                if cells or st.overflow:
                    ready.append((st.row, cells.copy(), st.overflow))
            elif local == "rPh":
                st.phonetic -= 1

        def chars(data: str) -> None:
            if text.on:
                text.add(data)
            elif formula.on:
                formula.add(data)

        parser = _parser(start, end, chars)
        with self.book.archive.open(self.part) as source:
            while block := source.read(BLOCK):
                _feed(parser, block, self.part)
                yield from ready
                ready.clear()
            _feed(parser, b"", self.part, final=True)
            yield from ready

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        a, b = CELL_REF.fullmatch(first), CELL_REF.fullmatch(last or first)
        if a and b:
            c1, c2 = _column(first), _column(last or first)
            if min(c1, c2) <= self.keep_columns:
                r1, r2 = int(a.group(2)), int(b.group(2))
                self.merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))


@dataclass
class _CellState:
    row: int = 0
    column: int = 0
    kind: str = "n"
    style: str | None = None
    has_value: bool = False
    has_formula: bool = False
    phonetic: int = 0
    overflow: bool = False


class _Text:
    """Character data of one element, kept up to `limit` characters (the length counted beyond)."""

    __slots__ = ("limit", "on", "parts", "size")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.on = False
        self.parts: list[str] = []
        self.size = 0

    def reset(self) -> None:
        self.parts.clear()
        self.size = 0
        self.on = False

    def feed(self, data: str) -> None:
        """Character data of the parser: kept while inside the element being read."""
        if self.on:
            self.add(data)

    def add(self, data: str) -> None:
        if self.size < self.limit:
            self.parts.append(data[: self.limit - self.size])
        self.size += len(data)

    def value(self) -> str:
        head = "".join(self.parts)
        return TooLong(head, self.size) if self.size > self.limit else head


def _value(  # noqa: C901
    st: _CellState,
    text: _Text,
    formula: _Text,
    shared: list[str],
    dates: frozenset[int],
    epoch: datetime,
) -> object:
    raw = text.value()
    if st.has_formula and not st.has_value:
        return NoCachedValue("=" + formula.value()) if st.kind != "e" else CellError(raw or "#VALUE!")
    if not raw and st.kind != "inlineStr":
        return None
    kind = st.kind
    if kind == "s":
        index = _int(raw, -1)
        if not 0 <= index < len(shared):
            raise PackageError(f"单元格引用了不存在的共享字符串（第 {st.row} 行）")
        return shared[index] or None
    if kind in ("str", "inlineStr"):
        return raw or None
    if kind == "e":
        return CellError(raw)
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":
        try:
            return datetime.fromisoformat(raw.strip())
        except ValueError:
            return raw
    try:
        number = float(raw)
    except ValueError:
        return raw
    if st.style is not None and _int(st.style, -1) in dates:
        try:
            return from_excel(number, epoch)
        except (OverflowError, ValueError):
            return number
    if number.is_integer() and abs(number) < 10**EXACT_DIGITS:
        return int(number)
    return number


def _column(ref: str) -> int:
    """The column number of a cell reference such as "AB12" (1 when it names none)."""
    letters = ref.rstrip("0123456789")
    known = _COLUMNS.get(letters)
    if known is not None:
        return known
    n = 0
    for ch in letters.replace("$", "")[:3]:
        if not ("A" <= ch.upper() <= "Z"):
            break
        n = n * 26 + (ord(ch.upper()) - 64)
    n = max(1, min(n, MAX_COLUMN))
    if len(letters) <= 3:
        _COLUMNS[letters] = n
    return n


_COLUMNS: dict[str, int] = {}


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(float(text)) if text else default
    except (ValueError, OverflowError):
        return default


def _local(name: str) -> str:
    """The local name of an element named "namespace local" (any prefix the file used is gone)."""
    local = name[name.rfind(" ") + 1 :]
    if len(_LOCAL) < 4096:
        _LOCAL[name] = local
    return local


_LOCAL: dict[str, str] = {}


def _refuse_dtd(*_: object) -> None:
    raise PackageError("XML 中含有实体声明（DTD），可能是恶意文件")


def _parser(
    start: Callable[..., None], end: Callable[[str], None] | None = None, chars: Callable[[str], None] | None = None
) -> pyexpat.XMLParserType:
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    parser.buffer_text = True
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    return parser


def _feed(parser: pyexpat.XMLParserType, block: bytes, part: str, final: bool = False) -> None:
    try:
        parser.Parse(block, final)
    except pyexpat.ExpatError as exc:
        raise PackageError(f"{part} 不是有效的 XML（{pyexpat.ErrorString(exc.code)}，第 {exc.lineno} 行）") from exc


def _parse_part(
    archive: zipfile.ZipFile,
    part: str,
    start: Callable[..., None],
    end: Callable[[str], None] | None = None,
    chars: Callable[[str], None] | None = None,
) -> None:
    parser = _parser(start, end, chars)
    try:
        source: IO[bytes] = archive.open(part)
    except KeyError as exc:
        raise PackageError(f"缺少部件 {part}") from exc
    with source:
        while block := source.read(BLOCK):
            _feed(parser, block, part)
        _feed(parser, b"", part, final=True)


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _rel_ids(archive: zipfile.ZipFile, rels_part: str, owner: str) -> list[tuple[str, tuple[str, str]]]:
    """Relationship id → (type, resolved part path) of `rels_part` (external targets left out)."""
    found: list[tuple[str, tuple[str, str]]] = []
    if rels_part not in archive.namelist():
        return found
    base = posixpath.dirname(owner)

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) != "Relationship" or attrs.get("TargetMode", "").lower() == "external":
            return
        target = attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found.append((attrs.get("Id", ""), (attrs.get("Type", ""), path)))

    _parse_part(archive, rels_part, start)
    return found


def _rels(archive: zipfile.ZipFile, rels_part: str) -> list[tuple[str, str]]:
    return [kind_target for _, kind_target in _rel_ids(archive, rels_part, "")]
