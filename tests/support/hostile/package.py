"""Hand-made .xlsx packages for the hostile corpus: every part written as bytes, so that a case can choose a
namespace prefix, the attribute quoting, the sheet's path, Strict OOXML, a DTD, a lying zip header …"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
HEADER = ("签证机构", "证明号", "是否实际出口", "报关单号")
CERT = "A211026902331080"
NO1 = "510120240000012345"
GOOD = ("海关", CERT, "是", NO1)


@dataclass
class Cell:
    """One cell: `t` its type attribute ('' = none), `v` its cached value, `f` its formula, or `inline` text."""

    ref: str
    t: str = ""
    v: str | None = None
    f: str | None = None
    inline: str | None = None
    s: int | None = None
    extra: str = ""


def col(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def text(ref: str, value: str) -> Cell:
    return Cell(ref, "inlineStr", inline=value)


def row_cells(number: int, values: Sequence[object], first: int = 1) -> list[Cell]:
    """Cells of one row from plain values: str → inline string, int/float → number, None → no cell."""
    cells = []
    for i, value in enumerate(values):
        ref = f"{col(first + i)}{number}"
        if value is None:
            continue
        if isinstance(value, Cell):
            value.ref = value.ref or ref
            cells.append(value)
        elif isinstance(value, bool):
            cells.append(Cell(ref, "b", v="1" if value else "0"))
        elif isinstance(value, (int, float)):
            cells.append(Cell(ref, v=repr(value) if isinstance(value, float) else str(value)))
        else:
            cells.append(text(ref, str(value)))
    return cells


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    before: str = ""
    """Raw XML before sheetData (e.g. a lying <dimension>)."""
    after: str = ""
    """Raw XML after sheetData and mergeCells."""
    raw: bytes | None = None
    """The whole part as given (overrides everything else)."""

    @classmethod
    def table(cls, name: str, rows: Iterable[Sequence[object]], header: Sequence[object] = HEADER) -> Sheet:
        sheet = cls(name)
        sheet.rows.append((1, row_cells(1, header)))
        for i, values in enumerate(rows, start=2):
            sheet.rows.append((i, row_cells(i, values)))
        return sheet


def sheet_xml(sheet: Sheet, prefix: str = "", quote: str = '"', ns: str = MAIN) -> bytes:
    if sheet.raw is not None:
        return sheet.raw
    p = f"{prefix}:" if prefix else ""
    q = quote

    def attr(name: str, value: object) -> str:
        return f" {name}={q}{escape(str(value), {q: '&apos;' if q == chr(39) else '&quot;'})}{q}"

    out = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet '
        f"xmlns{':' + prefix if prefix else ''}={q}{ns}{q} xmlns:r={q}{REL}{q}>",
        sheet.before,
        f"<{p}sheetData>",
    ]
    for number, cells in sheet.rows:
        out.append(f"<{p}row{attr('r', number)}>")
        for c in cells:
            attrs = attr("r", c.ref) + (attr("t", c.t) if c.t else "") + (attr("s", c.s) if c.s is not None else "")
            inner = ""
            if c.f is not None:
                inner += f"<{p}f>{escape(c.f)}</{p}f>"
            if c.v is not None:
                inner += f"<{p}v>{escape(c.v)}</{p}v>"
            if c.inline is not None:
                inner += f"<{p}is><{p}t>{escape(c.inline)}</{p}t></{p}is>"
            inner += c.extra
            out.append(f"<{p}c{attrs}>{inner}</{p}c>")
        out.append(f"</{p}row>")
    out.append(f"</{p}sheetData>")
    if sheet.merges:
        out.append(f"<{p}mergeCells{attr('count', len(sheet.merges))}>")
        out += [f"<{p}mergeCell{attr('ref', m)}/>" for m in sheet.merges]
        out.append(f"</{p}mergeCells>")
    out.append(sheet.after)
    out.append(f"</{p}worksheet>")
    return "".join(out).encode("utf-8")


STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="49"/></cellXfs></styleSheet>'
)
"""Style 1 is a date (yyyy-mm-dd), style 2 text (@)."""


@dataclass
class Package:
    """A workbook package: its sheets and how to write them."""

    sheets: list[Sheet]
    prefix: str = ""
    quote: str = '"'
    paths: list[str] | None = None
    """The sheets' part paths (default xl/worksheets/sheetN.xml); the relationships name them."""
    strict: bool = False
    shared: list[str] | None = None
    shared_raw: bytes | None = None
    styles: str | None = STYLES
    date1904: bool = False
    workbook_extra: str = ""
    rels_extra: str = ""
    extra_parts: dict[str, bytes] = field(default_factory=dict)
    sheet_kinds: list[str] | None = None
    """Relationship type ends per sheet (default worksheet), e.g. chartsheet."""
    absolute_targets: bool = False

    def parts(self) -> dict[str, bytes]:
        main = STRICT_MAIN if self.strict else MAIN
        rel = STRICT_REL if self.strict else REL
        paths = self.paths or [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(self.sheets) + 1)]
        kinds = self.sheet_kinds or ["worksheet"] * len(self.sheets)
        q = self.quote
        parts: dict[str, bytes] = {}
        overrides = "".join(
            f'<Override PartName="/{p}" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.worksheet+xml"/>'
            for p in paths
        )
        parts["[Content_Types].xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.sheet.main+xml"/>{overrides}</Types>'
        ).encode()
        parts["_rels/.rels"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode()
        p = f"{self.prefix}:" if self.prefix else ""
        xmlns = f"xmlns{':' + self.prefix if self.prefix else ''}={q}{main}{q}"
        sheets = "".join(
            f"<{p}sheet name={q}{escape(s.name)}{q} sheetId={q}{i}{q} r:id={q}rId{i}{q}/>"
            for i, s in enumerate(self.sheets, start=1)
        )
        pr = f"<{p}workbookPr date1904={q}1{q}/>" if self.date1904 else ""
        parts["xl/workbook.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {xmlns} xmlns:r={q}{rel}{q}>'
            f"{pr}<{p}sheets>{sheets}</{p}sheets>{self.workbook_extra}</{p}workbook>"
        ).encode()
        rels = []
        for i, (path, kind) in enumerate(zip(paths, kinds, strict=True), start=1):
            target = "/" + path if self.absolute_targets else path.removeprefix("xl/")
            rels.append(f'<Relationship Id="rId{i}" Type="{rel}/{kind}" Target="{target}"/>')
        n = len(self.sheets)
        if self.shared is not None or self.shared_raw is not None:
            rels.append(f'<Relationship Id="rId{n + 1}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>')
            parts["xl/sharedStrings.xml"] = self.shared_raw or shared_xml(self.shared or [])
        if self.styles is not None:
            rels.append(f'<Relationship Id="rId{n + 2}" Type="{rel}/styles" Target="styles.xml"/>')
            parts["xl/styles.xml"] = self.styles.replace(MAIN, main).encode()
        parts["xl/_rels/workbook.xml.rels"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="{PKG_REL}">{"".join(rels)}{self.rels_extra}'
            f"</Relationships>"
        ).encode()
        for sheet, path in zip(self.sheets, paths, strict=True):
            parts[path] = sheet_xml(sheet, self.prefix, self.quote, main)
        parts.update(self.extra_parts)
        return parts

    def write(self, path: Path) -> Path:
        return write_zip(path, self.parts())


def shared_xml(strings: Sequence[str]) -> bytes:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()


def write_zip(path: Path, parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path


def lying_zip(path: Path, parts: dict[str, bytes], liar: str, declared: int, crc_of_declared: bool = True) -> Path:
    """A zip whose `liar` part declares `declared` bytes (local header and central directory) while it
    inflates to its real size; with `crc_of_declared` the CRC is that of the first `declared` bytes, so a
    reader trusting the header sees a consistent, shorter part."""
    write_zip(path, parts)
    data = bytearray(path.read_bytes())
    real = parts[liar]
    crc = zlib.crc32(real[:declared]) if crc_of_declared else zlib.crc32(real)
    name = liar.encode()
    local = data.find(b"PK\x03\x04" + b"\x00" * 0)  # first local header; find the liar's own
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_len]) == name:
            struct.pack_into("<L", data, local + 14, crc)
            struct.pack_into("<L", data, local + 22, declared)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == name:
            struct.pack_into("<L", data, central + 16, crc)
            struct.pack_into("<L", data, central + 24, declared)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path
