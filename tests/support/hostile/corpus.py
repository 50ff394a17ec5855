"""The hostile corpus: more than 100 hostile or odd workbooks, generated into a folder at test time, each with
the verdict `corobot validate` must give (exit code and a text its output must hold) and what the inbox
must do with it. `python -m tests.support.hostile.corpus DIR` writes them (to look at one by hand).

Kinds: not a workbook (CSV/HTML/text renamed, old .xls, encrypted OLE, truncated or damaged zips, unknown
compression), bombs (zip bomb, lying zip headers, entity bombs, external entities), sizes (200,000 rows,
16,384 columns, a single cell at XFD1048576, empty cells down to row 1,048,576, a 5 MB cell), cell types
(error values with any prefix, quoting or sheet path; formulas without a cached value; numbers Excel
truncated; dates, booleans, rich text), structure (merged headers, header-only sheets, an instructions sheet
first, Strict OOXML, external links, odd relationships) and invisible characters.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from tests.support.hostile.package import (
    CERT,
    GOOD,
    HEADER,
    NO1,
    Cell,
    Package,
    Sheet,
    col,
    lying_zip,
    row_cells,
    shared_xml,
    write_zip,
)
from tests.support.zip_bomb import zip_bomb

MIB = 2**20
CERT2 = "A211026902331081"
NO2 = "510120240000012346"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], object]
    exit: int
    """Exit code of `corobot validate`: 0 all rows valid, 1 some rejected, 2 the file refused."""
    expect: tuple[str, ...] = ()
    """Texts the output of `corobot validate` must hold."""
    args: tuple[str, ...] = ()
    suffix: str = ".xlsx"
    isolate: bool = False
    """Also run as its own `corobot validate` process (the big or dangerous ones)."""
    inbox_expect: tuple[str, ...] | None = None
    """Texts the inbox note must hold (default: `expect` for a refused file, 无效 for rejected rows)."""
    valid_rows: bool = False
    """Some rows are valid although others are rejected (exit 1): in the inbox it would need the portal."""

    @property
    def file_name(self) -> str:
        return f"{self.name}{self.suffix}"

    @property
    def note_texts(self) -> tuple[str, ...]:
        if self.inbox_expect is not None:
            return self.inbox_expect
        return self.expect if self.exit == 2 else ("无效",)


def book(sheets: list[Sheet] | Sheet, **kw: object) -> Callable[[Path], Path]:
    sheets = sheets if isinstance(sheets, list) else [sheets]
    return lambda path: Package(sheets, **kw).write(path)  # type: ignore[arg-type]


def table(rows: list[tuple[object, ...]], header: tuple[object, ...] = HEADER, name: str = "补录清单") -> Sheet:
    return Sheet.table(name, rows, header)


def raw_bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _openpyxl(path: Path, rows: list[list[object]], notes_first: bool = False) -> None:
    wb = Workbook()
    ws = wb.active
    if notes_first:
        ws.title = "填写说明"
        ws.append(["列", "说明"])
        ws.append(["报关单号", "18位数字"])
        ws = wb.create_sheet("数据")
    else:
        ws.title = "补录清单"
    ws.append(list(HEADER))
    for r in rows:
        ws.append(r)
        for c in ws[ws.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"
    wb.save(path)


def _xlsxwriter(path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("补录清单")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, GOOD)
    wb.close()


def _truncated(fraction: float) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        Package([table([GOOD, ("海关", CERT2, "否", None)])]).write(path)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])

    return build


def _damaged_member(path: Path) -> None:
    Package([table([GOOD] * 3)]).write(path)
    data = bytearray(path.read_bytes())
    at = data.find(b"xl/worksheets/sheet1.xml") + 40
    for i in range(at, at + 30):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _method(method: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        write_zip(path, Package([table([GOOD])]).parts(), method)

    return build


def _encrypted_member(path: Path) -> None:
    Package([table([GOOD])]).write(path)
    data = bytearray(path.read_bytes())
    data[6] |= 1
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 1
    path.write_bytes(bytes(data))


def _ole(encrypted: bool, tag: bytes = b"") -> Callable[[Path], None]:
    def build(path: Path) -> None:
        body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
        if encrypted:
            body += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")
        else:
            body += "Workbook".encode("utf-16-le") + b"\x00" * 64
        body += bytes(range(256)) * 16 + tag
        path.write_bytes(bytes(body))

    return build


def _spaces_sheet(mib: int) -> Sheet:
    sheet = table([GOOD])
    sheet.after = " " * (mib * MIB)
    return sheet


def _lying(declared: int, real_mib: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        parts = Package([_spaces_sheet(real_mib)]).parts()
        lying_zip(path, parts, "xl/worksheets/sheet1.xml", declared)

    return build


def _many_members(path: Path) -> None:
    parts = Package([table([GOOD])]).parts()
    blob = b" " * MIB
    for i in range(70):
        parts[f"xl/media/pad{i}.bin"] = blob
    write_zip(path, parts)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>"
)


def _entity_sheet(kind: str) -> Sheet:
    sheet = table([GOOD])
    xml = Package([sheet]).parts()["xl/worksheets/sheet1.xml"].decode()
    body = xml.split("?>", 1)[1]
    if kind == "laughs":
        sheet.raw = BILLION_LAUGHS + body.replace(NO1, "&lol9;").encode()
    elif kind == "external":
        sheet.raw = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
            + body.replace(NO1, "&ext;").encode()
        )
    elif kind == "parameter":
        sheet.raw = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>' + body.encode()
        )
    elif kind == "utf16":
        sheet.raw = (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body.replace(NO1, "&a;")
        ).encode("utf-16")
    return sheet


def _entity_shared(path: Path) -> None:
    sheet = Sheet("补录清单", rows=[(1, row_cells(1, HEADER)), (2, [*row_cells(2, GOOD[:3]), Cell("D2", "s", v="0")])])
    Package([sheet], shared_raw=BILLION_LAUGHS + shared_xml(["&lol9;"]).split(b"?>", 1)[1]).write(path)


def _entity_workbook(path: Path) -> None:
    parts = Package([table([GOOD])]).parts()
    parts["xl/workbook.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY n "x">]>' + parts["xl/workbook.xml"].split(b"?>", 1)[1]
    )
    write_zip(path, parts)


def _rows_shared(count: int, header: tuple[str, ...] = HEADER) -> Callable[[Path], None]:
    """`count` data rows (each a new certificate), written with shared strings to stay small."""

    def build(path: Path) -> None:
        strings = [*header, "海关", "是"]
        head = "".join(f'<c r="{col(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(len(header)))
        rows = [f'<row r="1">{head}</row>']
        for n in range(2, count + 2):
            rows.append(
                f'<row r="{n}"><c r="A{n}" t="s"><v>4</v></c><c r="B{n}" t="inlineStr"><is><t>A2110269{n:08d}'
                f'</t></is></c><c r="C{n}" t="s"><v>5</v></c><c r="D{n}" t="inlineStr"><is><t>51012024{n:010d}'
                f"</t></is></c></row>"
            )
        sheet = Sheet(
            "补录清单",
            raw=(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_main()}">'
                f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
            ).encode(),
        )
        Package([sheet], shared=strings).write(path)

    return build


def _main() -> str:
    from tests.support.hostile.package import MAIN

    return MAIN


def _wide_header(columns: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        header = [*HEADER, *(f"备注{i}" for i in range(len(HEADER) + 1, columns + 1))]
        strings = header
        cells = "".join(f'<c r="{col(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(columns))
        data = "".join(f'<c r="{col(i + 1)}2" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(GOOD))
        sheet = Sheet(
            "补录清单",
            raw=(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_main()}"><sheetData>'
                f'<row r="1">{cells}</row><row r="2">{data}</row></sheetData>'
                "</worksheet>"
            ).encode(),
        )
        Package([sheet], shared=strings).write(path)

    return build


def _far_cell(ref: str, dimension: bool = False, header_row: bool = False) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        sheet = table([GOOD])
        if dimension:
            sheet.before = '<dimension ref="A1:XFD1048576"/>'
        number = int("".join(ch for ch in ref if ch.isdigit()))
        far = Cell(ref, "inlineStr", inline="远处")
        if header_row:
            sheet.rows[0][1].append(far)
        else:
            sheet.rows.append((number, [far]))
        Package([sheet]).write(path)

    return build


def _empty_down(rows: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        body = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>4</v></c></row>' for n in range(3, rows + 1))
        head = "".join(f'<c r="{col(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(4))
        good = "".join(f'<c r="{col(i + 1)}2" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(GOOD))
        sheet = Sheet(
            "补录清单",
            raw=(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_main()}"><sheetData>'
                f'<row r="1">{head}</row><row r="2">{good}</row>{body}</sheetData>'
                f"</worksheet>"
            ).encode(),
        )
        Package([sheet], shared=[*HEADER, ""]).write(path)

    return build


def _long_cell(chars: int, column: str, shared: bool = False) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        big = "长" * chars if column != "报关单号" else "5" * chars
        header = (*HEADER, "备注")
        values: list[object] = [*GOOD, "备注"]
        if column == "备注":
            values[4] = big
        elif column == "报关单号":
            values[3] = big
        elif column == "header":
            header = (*HEADER, big)
        if shared:
            strings = [*header]
            cells = [Cell(f"{col(i + 1)}1", "s", v=str(i)) for i in range(len(header))]
            sheet = Sheet("补录清单", rows=[(1, cells), (2, row_cells(2, values))])
            Package([sheet], shared=strings).write(path)
        else:
            Package([table([tuple(values)], header)]).write(path)

    return build


def _error(value: str, column: int = 2, formula: str | None = None, **kw: object) -> Callable[[Path], None]:
    """GOOD with column `column` (0-based) an error cell of `value`."""

    def build(path: Path) -> None:
        values: list[object] = list(GOOD)
        values[column] = Cell("", "e", v=value, f=formula)
        if column == 3:
            values[2] = "是"
        Package([table([tuple(values)])], **kw).write(path)  # type: ignore[arg-type]

    return build


def _no_cache(column: int, shared_formula: bool = False) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        values: list[object] = list(GOOD)
        values[column] = Cell("", "str" if column != 3 else "", f="VLOOKUP(B2,表2!A:B,2,0)")
        rows = [tuple(values)]
        sheet = table(rows)
        if shared_formula:
            cell = sheet.rows[1][1][column]
            cell.f = None
            cell.extra = '<f t="shared" ref="D2:D3" si="0">"5101"&amp;"2024"</f>'
        Package([sheet]).write(path)

    return build


def _merged_header(ref: str, header: tuple[str, ...], data: tuple[object, ...]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        sheet = table([data], header)
        sheet.merges.append(ref)
        Package([sheet]).write(path)

    return build


def _merged_data(path: Path) -> None:
    sheet = table([GOOD, (None, CERT2, "否", None)])
    sheet.merges.append("A2:A3")
    Package([sheet]).write(path)


def _instructions_first(path: Path) -> None:
    notes = Sheet("填写说明", rows=[(1, row_cells(1, ["列", "说明"])), (2, row_cells(2, ["报关单号", "18位"]))])
    Package([notes, table([GOOD], name="数据")]).write(path)


def _external_link(cached: bool) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        cell = Cell("", "str", v=NO1 if cached else None, f="[1]Sheet1!$A$1")
        sheet = table([("海关", CERT, "是", cell)])
        link = (
            f'<?xml version="1.0"?><externalLink xmlns="{_main()}"><externalBook '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
            "</externalLink>"
        ).encode()
        link_rels = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/externalLinkPath" Target="file:///C:/secret/other.xlsx" '
            b'TargetMode="External"/></Relationships>'
        )
        Package(
            [sheet],
            extra_parts={
                "xl/externalLinks/externalLink1.xml": link,
                "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
            },
            rels_extra='<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/externalLink" Target="externalLinks/externalLink1.xml"/>',
            workbook_extra='<externalReferences><externalReference r:id="rId99"/></externalReferences>',
        ).write(path)

    return build


def _many_sheets(path: Path) -> None:
    sheets = [table([GOOD])] + [Sheet(f"空表{i}") for i in range(300)]
    Package(sheets).write(path)


def _deep_nesting(path: Path) -> None:
    sheet = table([GOOD])
    sheet.after = "<extLst>" + "<x>" * 50_000 + "</x>" * 50_000 + "</extLst>"
    Package([sheet]).write(path)


def _many_shared(path: Path) -> None:
    strings = [*HEADER, *(f"{i:x}" for i in range(1_000_000))]
    cells = [Cell(f"{col(i + 1)}1", "s", v=str(i)) for i in range(4)]
    Package([Sheet("补录清单", rows=[(1, cells), (2, row_cells(2, GOOD))])], shared=strings).write(path)


def _one_text_everywhere(path: Path) -> None:
    """5,000 rows whose 报关单号 cells all point at one 30,000-character shared text: 300 KB on disk,
    150 million characters once read (the report would be gigabytes)."""
    strings = [*HEADER, "海关", "否", "1" * 30_000]
    header = [Cell(f"{col(i + 1)}1", "s", v=str(i)) for i in range(4)]
    rows = [(1, header)]
    for n in range(2, 5_002):
        cells = [Cell(f"A{n}", "s", v="4"), *row_cells(n, [f"A2110269023310{n:04d}"], first=2)]
        rows.append((n, [*cells, Cell(f"C{n}", "s", v="5"), Cell(f"D{n}", "s", v="6")]))
    Package([Sheet("补录清单", rows=rows)], shared=strings).write(path)


def _many_merges(path: Path) -> None:
    sheet = table([GOOD])
    sheet.merges = [f"Z{n}:AA{n}" for n in range(2, 60_002)]
    Package([sheet]).write(path)


def _rich_text(path: Path) -> None:
    cell = Cell("", "inlineStr", extra=f"<is><r><t>{NO1[:9]}</t></r><r><rPr><b/></rPr><t>{NO1[9:]}</t></r></is>")
    Package([table([("海关", CERT, "是", cell)])]).write(path)


def _phonetic(path: Path) -> None:
    shared = (
        f'<?xml version="1.0"?><sst xmlns="{_main()}"><si><t>签证机构</t></si><si><t>证明号</t></si>'
        '<si><t>是否实际出口</t></si><si><t>报关单号</t></si><si><t>海关</t><rPh sb="0" eb="2"><t>カイカン</t>'
        "</rPh></si></sst>"
    ).encode()
    cells = [Cell(f"{col(i + 1)}1", "s", v=str(i)) for i in range(4)]
    data = [Cell("A2", "s", v="4"), *row_cells(2, GOOD[1:], first=2)]
    Package([Sheet("补录清单", rows=[(1, cells), (2, data)])], shared_raw=shared).write(path)


def _bad_shared_index(path: Path) -> None:
    cells = [Cell(f"{col(i + 1)}1", "s", v=str(i)) for i in range(4)]
    data = [*row_cells(2, GOOD[:2]), Cell("C2", "s", v="999"), *row_cells(2, GOOD[3:], first=4)]
    Package([Sheet("补录清单", rows=[(1, cells), (2, data)])], shared=list(HEADER)).write(path)


def _date_cell(style: int | None, value: str, kind: str = "") -> Callable[[Path], None]:
    def build(path: Path) -> None:
        header = (*HEADER, "证明创建日期")
        date_cell = Cell("", kind, v=value, s=style)
        Package([table([(*GOOD, date_cell)], header)]).write(path)

    return build


def _xml_text(raw: str) -> Callable[[Path], None]:
    """GOOD with 报关单号 written as raw XML text (character references allowed)."""

    def build(path: Path) -> None:
        cell = Cell("", "inlineStr", extra=f"<is><t>{raw}</t></is>")
        Package([table([("海关", CERT, "是", cell)])]).write(path)

    return build


def _chart_sheet(path: Path) -> None:
    parts = Package([table([GOOD]), Sheet("图表1")], sheet_kinds=["chartsheet", "worksheet"]).parts()
    write_zip(path, parts)


def _external_sheet(path: Path) -> None:
    parts = Package([table([GOOD])]).parts()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/sheet1.xml"', b'Target="http://127.0.0.1:9/sheet.xml" TargetMode="External"'
    )
    write_zip(path, parts)


def _traversal(path: Path) -> None:
    parts = Package([table([GOOD])]).parts()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/sheet1.xml"', b'Target="../../../../etc/passwd"'
    )
    write_zip(path, parts)


def _no_rels(path: Path) -> None:
    parts = Package([table([GOOD])]).parts()
    del parts["_rels/.rels"], parts["xl/_rels/workbook.xml.rels"]
    write_zip(path, parts)


def _docx(path: Path) -> None:
    write_zip(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _csv(encoding: str, bom: bool = False) -> Callable[[Path], None]:
    body = "签证机构,证明号,是否实际出口,报关单号\n海关,A211026902331080,是,510120240000012345\n"
    return raw_bytes(("\ufeff" if bom else "").encode("utf-8") + body.encode(encoding))


def _styled_empty_rows(path: Path) -> None:
    sheet = table([])
    for n in range(2, 2000):
        sheet.rows.append((n, [Cell(f"{col(c)}{n}", s=2) for c in range(1, 5)]))
    Package([sheet]).write(path)


def _wrong_order(path: Path) -> None:
    sheet = table([GOOD, ("海关", CERT2, "否", None)])
    sheet.rows[1], sheet.rows[2] = sheet.rows[2], sheet.rows[1]
    Package([sheet]).write(path)


def _no_refs(path: Path) -> None:
    sheet = table([GOOD])
    for _, cells in sheet.rows:
        for c in cells:
            c.ref = ""
    xml = Package([sheet]).parts()["xl/worksheets/sheet1.xml"].replace(b' r=""', b"")
    sheet.raw = xml
    Package([sheet]).write(path)


def _huge_row_number(path: Path) -> None:
    sheet = table([])
    sheet.rows.append((1048576, row_cells(1048576, GOOD)))
    Package([sheet]).write(path)


def _template(path: Path) -> None:
    from robot.books.template import write_template

    write_template(path)


def _prefilled(path: Path) -> None:
    from robot.books.template import write_prefilled

    write_prefilled(path, [{"签证机构": "海关", "证明号": CERT, "是否实际出口": "是", "报关单号": NO1}])


def _zip_bomb(path: Path) -> None:
    zip_bomb(path, 100)


def _xml_damaged(path: Path) -> None:
    parts = Package([table([GOOD])]).parts()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-40]
    write_zip(path, parts)


def _html(path: Path) -> None:
    path.write_text(
        "<html><body><table><tr><td>签证机构</td><td>证明号</td></tr></table></body></html>", encoding="utf-8"
    )


R1 = "第2行"
ERR = "公式错误"
INVISIBLE = "不可见字符"


def cases() -> list[Case]:
    c: list[Case] = []

    def add(name: str, build: Callable[[Path], object], exit: int, *expect: str, **kw: object) -> None:
        c.append(Case(name, build, exit, expect, **kw))  # type: ignore[arg-type]

    # -- not a workbook -------------------------------------------------------------------------------
    add("csv_renamed", _csv("utf-8"), 2, "文本文件")
    add("csv_bom_renamed", _csv("utf-8", bom=True), 2, "文本文件")
    add("csv_gbk_renamed", _csv("gb18030"), 2, "文本文件")
    add("html_renamed", _html, 2, "文本文件")
    add("empty_file", raw_bytes(b""), 2, "不是 .xlsx")
    add("random_bytes", raw_bytes(bytes(range(256)) * 40), 2, "不是 .xlsx")
    add("old_xls", _ole(False), 2, ".xls", suffix=".xls", inbox_expect=("不是 .xlsx",))
    add("xls_renamed", _ole(False, b"renamed"), 2, "旧版 .xls")
    add("encrypted_ole", _ole(True), 2, "已加密")
    add("encrypted_member", _encrypted_member, 2, "已加密")
    add("truncated_zip_half", _truncated(0.5), 2, "无法打开")
    add("truncated_zip_end", _truncated(0.97), 2, "无法打开")
    add("damaged_member", _damaged_member, 2, "损坏")
    add("bzip2_member", _method(zipfile.ZIP_BZIP2), 2, "不支持的压缩方式")
    add("lzma_member", _method(zipfile.ZIP_LZMA), 2, "不支持的压缩方式")
    add("stored_members", _method(zipfile.ZIP_STORED), 0, "有效 1 行")
    add("empty_zip", lambda p: write_zip(p, {}), 2, "无法打开")
    add("docx_renamed", _docx, 2, "无法打开")
    add("no_relationships", _no_rels, 0, "有效 1 行")
    add("xml_damaged", _xml_damaged, 2, "无法打开")
    # -- bombs ----------------------------------------------------------------------------------------
    add("zip_bomb_100mib", _zip_bomb, 2, "解压后超过", isolate=True)
    add("lying_header_70mib_says_1mib", _lying(MIB, 70), 2, "解压后超过", isolate=True)
    add("lying_header_5mib_says_1mib", _lying(MIB, 5), 2, "声明的大小")
    add("lying_header_says_more", _lying(40 * MIB, 2), 2, "声明的大小")
    add("many_members_70mib", _many_members, 2, "解压后超过")
    add("billion_laughs_sheet", lambda p: Package([_entity_sheet("laughs")]).write(p), 2, "实体声明", isolate=True)
    add("billion_laughs_shared", _entity_shared, 2, "实体声明")
    add("external_entity", lambda p: Package([_entity_sheet("external")]).write(p), 2, "实体声明")
    add("parameter_entity", lambda p: Package([_entity_sheet("parameter")]).write(p), 2, "实体声明")
    add("utf16_entity", lambda p: Package([_entity_sheet("utf16")]).write(p), 2, "实体声明")
    add("dtd_in_workbook", _entity_workbook, 2, "实体声明")
    add("deep_nesting", _deep_nesting, 0, "有效 1 行")
    # -- sizes ----------------------------------------------------------------------------------------
    add("rows_200000", _rows_shared(200_000), 2, "max_rows", isolate=True)
    add("rows_50001", _rows_shared(50_001), 2, "max_rows")
    add("rows_2000", _rows_shared(2_000), 0, "有效 2000 行")
    add("columns_16384", _wide_header(16_384), 2, "max_columns", isolate=True)
    add("columns_65", _wide_header(65), 2, "max_columns")
    add("columns_64", _wide_header(64), 0, "有效 1 行")
    add("cell_XFD1048576", _far_cell("XFD1048576"), 0, "有效 1 行", isolate=True)
    add("cell_XFD1048576_dimension", _far_cell("XFD1048576", dimension=True), 0, "有效 1 行")
    add("cell_Z200000", _far_cell("Z200000"), 0, "有效 1 行")
    add("cell_D1048576", _far_cell("D1048576"), 1, "第1048576行", valid_rows=True)
    add("header_cell_XFD1", _far_cell("XFD1", header_row=True), 2, "max_columns")
    add("empty_cells_to_row_1048576", _empty_down(1_048_576), 0, "有效 1 行", isolate=True)
    add("cell_5mb_remark", _long_cell(5 * MIB, "备注"), 1, "内容过长", isolate=True)
    add("cell_5mb_numbers", _long_cell(5 * MIB, "报关单号"), 1, "内容过长", isolate=True)
    add("cell_5mb_shared_header", _long_cell(5 * MIB, "header", shared=True), 2, "过长")
    add("cell_40000_chars", _long_cell(40_000, "备注"), 1, "max_cell_chars")
    add("cell_32768_chars", _long_cell(32_768, "备注"), 0, "有效 1 行")
    add("shared_strings_1000000", _many_shared, 0, "有效 1 行", isolate=True)
    add("one_long_text_5000_times", _one_text_everywhere, 2, "max_text_chars")
    add("merges_60000_outside", _many_merges, 0, "有效 1 行")
    add("sheets_301", _many_sheets, 0, "有效 1 行")
    # -- error values, whatever the XML looks like ---------------------------------------------------
    add("error_na_exported", _error("#N/A"), 1, f"{ERR} #N/A", R1, "是否实际出口")
    add("error_ref_authority", _error("#REF!", 0), 1, f"{ERR} #REF!", "签证机构", args=("--authority", "贸促会"))
    add("error_na_numbers", _error("#N/A", 3), 1, f"{ERR} #N/A", "报关单号")
    add("error_na_cert", _error("#N/A", 1), 1, f"{ERR} #N/A", "证明号")
    for code in ("#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA", "#SPILL!", "#CALC!"):
        add(f"error_{code.strip('#!?/').replace('/', '').lower()}", _error(code, 3), 1, f"{ERR} {code}")
    add("error_x_prefix", _error("#N/A", prefix="x"), 1, f"{ERR} #N/A", R1)
    add("error_x_prefix_numbers", _error("#N/A", 3, prefix="x"), 1, f"{ERR} #N/A")
    add("error_ss_prefix", _error("#REF!", 0, prefix="ss"), 1, f"{ERR} #REF!", args=("--authority", "贸促会"))
    add("error_single_quotes", _error("#N/A", quote="'"), 1, f"{ERR} #N/A")
    add("error_single_quotes_prefix", _error("#N/A", quote="'", prefix="x"), 1, f"{ERR} #N/A")
    add("error_odd_path", _error("#N/A", paths=["xl/data/s1.xml"]), 1, f"{ERR} #N/A")
    add("error_root_path", _error("#N/A", paths=["sheets/first.xml"], absolute_targets=True), 1, f"{ERR} #N/A")
    add("error_absolute_target", _error("#N/A", absolute_targets=True), 1, f"{ERR} #N/A")
    add("error_with_formula", _error("#N/A", formula="VLOOKUP(B2,表2!A:B,2,0)"), 1, f"{ERR} #N/A")
    add("error_strict", _error("#N/A", strict=True), 1, f"{ERR} #N/A")
    add(
        "error_in_remark_column",
        lambda p: Package([table([(*GOOD, Cell("", "e", v="#N/A"))], (*HEADER, "备注"))]).write(p),
        0,
        "有效 1 行",
    )
    add("formula_no_cache_numbers", _no_cache(3), 1, "公式没有计算结果", "报关单号")
    add("formula_no_cache_exported", _no_cache(2), 1, "公式没有计算结果", "是否实际出口")
    add("formula_no_cache_authority", _no_cache(0), 1, "公式没有计算结果", args=("--authority", "海关"))
    add("formula_shared_no_cache", _no_cache(3, shared_formula=True), 1, "公式没有计算结果")
    add(
        "formula_with_cache",
        lambda p: Package([table([("海关", CERT, Cell("", "str", v="是", f='IF(1,"是")'), NO1)])]).write(p),
        0,
        "有效 1 行",
    )
    add("external_link_cached", _external_link(True), 0, "有效 1 行")
    add("external_link_no_cache", _external_link(False), 1, "公式没有计算结果")
    # -- numbers Excel keeps, and other types ---------------------------------------------------------
    add(
        "number_18_digits",
        lambda p: Package([table([("海关", CERT, "是", 510120240000012345)])]).write(p),
        1,
        "15位有效数字",
    )
    add(
        "number_18_digits_float",
        lambda p: Package([table([("海关", CERT, "是", 5.10120240000012e17)])]).write(p),
        1,
        "15位有效数字",
    )
    add(
        "number_18_digits_x_prefix",
        lambda p: Package([table([("海关", CERT, "是", 510120240000012345)])], prefix="x").write(p),
        1,
        "15位有效数字",
    )
    add(
        "number_18_digits_openpyxl",
        lambda p: _openpyxl(p, [["海关", CERT, "是", 510120240000012345]]),
        1,
        "15位有效数字",
    )
    add("number_cert", lambda p: Package([table([("海关", 211026902331080, "否", None)])]).write(p), 1, "证明号")
    add("bool_exported", lambda p: Package([table([("海关", CERT, True, NO1)])]).write(p), 0, "有效 1 行")
    add("date_styled", _date_cell(1, "45413"), 0, "有效 1 行")
    add("date_unstyled_serial", _date_cell(None, "45413"), 1, "证明创建日期")
    add("date_iso_cell", _date_cell(None, "2024-05-01T00:00:00", "d"), 0, "有效 1 行")
    add(
        "date_1904",
        lambda p: Package([table([(*GOOD, Cell("", v="43951", s=1))], (*HEADER, "证明创建日期"))], date1904=True).write(
            p
        ),
        0,
        "有效 1 行",
    )
    add("date_serial_huge", _date_cell(1, "9999999999"), 1, "证明创建日期")
    add("rich_text_numbers", _rich_text, 0, "有效 1 行")
    add("phonetic_shared", _phonetic, 0, "有效 1 行")
    add("shared_index_missing", _bad_shared_index, 2, "共享字符串")
    add("text_formula_like", lambda p: Package([table([("海关", CERT, "是", "=1+1")])]).write(p), 1, "报关单号")
    add(
        "number_text_garbage",
        lambda p: Package([table([("海关", CERT, "是", Cell("", v="abc"))])]).write(p),
        1,
        "报关单号",
    )
    # -- structure ------------------------------------------------------------------------------------
    add(
        "merged_header_numbers_3_columns",
        _merged_header("D1:F1", HEADER, (*GOOD, NO2, "510120240000012347")),
        2,
        "合并单元格",
        "D1:F1",
        "报关单号",
    )
    add("merged_header_remark", _merged_header("E1:F1", (*HEADER, "备注"), (*GOOD, "a", "b")), 2, "合并单元格")
    add("merged_header_two_rows", _merged_header("A1:A2", HEADER, GOOD), 1, "合并单元格")
    add("merged_data_authority", _merged_data, 1, "合并单元格", "A2:A3", args=("--authority", "贸促会"))
    add("merged_data_outside", _merged_header("H2:J5", HEADER, GOOD), 0, "有效 1 行")
    add("header_only", lambda p: Package([table([])]).write(p), 2, "没有数据行", "补录清单")
    add("header_only_styled_rows", _styled_empty_rows, 2, "没有数据行")
    add("template_blank", _template, 2, "没有数据行", "填写说明", "--sheet")
    add("template_prefilled", _prefilled, 0, "有效 1 行")
    add("empty_workbook", lambda p: Package([Sheet("Sheet1")]).write(p), 2, "找不到表头")
    add("instructions_sheet_first", _instructions_first, 2, "填写说明", "数据", "--sheet")
    add("instructions_first_with_sheet", _instructions_first, 0, "有效 1 行", args=("--sheet", "数据"))
    add("instructions_first_openpyxl", lambda p: _openpyxl(p, [list(GOOD)], notes_first=True), 2, "--sheet", "数据")
    add("unknown_sheet", lambda p: Package([table([GOOD])]).write(p), 2, "没有工作表", args=("--sheet", "Sheet9"))
    add("data_sheet_second_named", lambda p: Package([Sheet("说明"), table([GOOD])]).write(p), 0, "有效 1 行")
    add("chart_sheet_first", _chart_sheet, 2, "不是普通工作表")
    add("external_sheet_target", _external_sheet, 2, "不是普通工作表")
    add("path_traversal_target", _traversal, 2, "无法打开")
    add(
        "header_at_C5",
        lambda p: Package([Sheet("补录清单", rows=[(5, row_cells(5, HEADER, 3)), (6, row_cells(6, GOOD, 3))])]).write(
            p
        ),
        0,
        "有效 1 行",
    )
    add("duplicate_header", lambda p: Package([table([(*GOOD, NO2)], (*HEADER, "报关单号"))]).write(p), 2, "两次")
    add("missing_column", lambda p: Package([table([GOOD[:2]], HEADER[:2])]).write(p), 2, "缺少列")
    add("rows_out_of_order", _wrong_order, 0, "有效 2 行")
    add("cells_without_refs", _no_refs, 0, "有效 1 行")
    add("row_1048576_only", _huge_row_number, 0, "有效 1 行")
    add("strict_ooxml", lambda p: Package([table([GOOD])], strict=True).write(p), 0, "有效 1 行")
    add("x_prefix_valid", lambda p: Package([table([GOOD])], prefix="x").write(p), 0, "有效 1 行")
    add("single_quotes_valid", lambda p: Package([table([GOOD])], quote="'").write(p), 0, "有效 1 行")
    add(
        "shared_strings_valid",
        lambda p: Package(
            [
                Sheet(
                    "补录清单",
                    rows=[
                        (1, [Cell(f"{col(i + 1)}1", "s", v=str(i)) for i in range(4)]),
                        (2, [Cell(f"{col(i + 1)}2", "s", v=str(i + 4)) for i in range(4)]),
                    ],
                )
            ],
            shared=[*HEADER, *GOOD],
        ).write(p),
        0,
        "有效 1 行",
    )
    add("openpyxl_valid", lambda p: _openpyxl(p, [list(GOOD)]), 0, "有效 1 行")
    add("xlsxwriter_valid", _xlsxwriter, 0, "有效 1 行")
    # -- invisible characters -------------------------------------------------------------------------
    add(
        "zwsp_cert",
        lambda p: Package([table([("海关", CERT + "\u200b", "是", NO1)])]).write(p),
        1,
        "零宽空格 U+200B",
        INVISIBLE,
    )
    add(
        "zwsp_numbers",
        lambda p: Package([table([("海关", CERT, "是", NO1[:9] + "\u200b" + NO1[9:])])]).write(p),
        1,
        "零宽空格",
    )
    add("bom_numbers", lambda p: Package([table([("海关", CERT, "是", "\ufeff" + NO1)])]).write(p), 1, "BOM")
    add("bom_authority", lambda p: Package([table([("\ufeff海关", CERT, "是", NO1)])]).write(p), 1, "BOM")
    add(
        "rtl_override_cert",
        lambda p: Package([table([("海关", "\u202e" + CERT, "是", NO1)])]).write(p),
        1,
        "方向控制符",
    )
    add(
        "del_control_numbers",
        lambda p: Package([table([("海关", CERT, "是", NO1 + "\x7f")])]).write(p),
        1,
        "控制字符 U+007F",
    )
    add(
        "c1_control_exported",
        lambda p: Package([table([("海关", CERT, "是\x85", NO1)])]).write(p),
        1,
        "控制字符 U+0085",
    )
    add(
        "soft_hyphen_cert",
        lambda p: Package([table([("海关", CERT[:5] + "\u00ad" + CERT[5:], "否", None)])]).write(p),
        1,
        "软连字符",
    )
    add("word_joiner_numbers", lambda p: Package([table([("海关", CERT, "是", NO1 + "\u2060")])]).write(p), 1, "U+2060")
    add("control_char_reference", _xml_text("&#1;" + NO1), 2, "无法打开")
    add(
        "zwsp_header",
        lambda p: Package([table([GOOD], (*HEADER[:3], "报关单号\u200b"))]).write(p),
        2,
        "零宽空格",
        "缺少列",
    )
    add("bom_header", lambda p: Package([table([GOOD], ("\ufeff签证机构", *HEADER[1:]))]).write(p), 1, "签证机构")
    add(
        "nbsp_separator",
        lambda p: Package([table([("海关", CERT, "是", f"{NO1}\u00a0{NO2}")])]).write(p),
        0,
        "有效 1 行",
    )
    add(
        "fullwidth_digits", lambda p: Package([table([("海关", CERT, "是", "５１０１" + NO1[4:])])]).write(p), 1, "全角"
    )
    add(
        "tab_newline_separators",
        lambda p: Package([table([("海关", CERT, "是", f"{NO1}\n{NO2}\t")])]).write(p),
        0,
        "有效 1 行",
    )
    add(
        "long_bad_value_clipped",
        lambda p: Package([table([("海关", "X" * 3000, "否", None)])]).write(p),
        1,
        "共 3000 个字符",
    )
    return c


def build_all(folder: Path, chosen: list[Case] | None = None) -> dict[str, Path]:
    """Writes every case into `folder`; returns name → path. Every file's content is distinct."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    seen: dict[str, str] = {}
    for case in chosen or cases():
        path = folder / case.file_name
        case.build(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen and case.args == ():
            raise AssertionError(f"{case.name} has the same content as {seen[digest]}")
        seen.setdefault(digest, case.name)
        paths[case.name] = path
    return paths


def distinct_for_inbox(all_cases: list[Case]) -> list[Case]:
    """The cases the inbox gets: one per content (a case that differs only by its validate arguments is
    left out), and only those with no valid row (the others would need the portal)."""
    return [c for c in all_cases if not c.args and c.exit != 0 and not c.valid_rows]


if __name__ == "__main__":
    made = build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus"))
    print(f"{len(made)} files")
