"""The input template: a blank (or pre-filled) 补录清单 workbook with a 填写说明 sheet.

Owns what staff fill in: header in `robot.books.columns` order, text-formatted number columns (so Excel
never turns an 18-digit 报关单号 into a float), drop-downs for 签证机构 and 是否实际出口, widths,
a frozen header and the Chinese instructions.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from robot.books import columns as C
from robot.books.xlsx_text import TEXT_FORMAT, set_text

SHEET = "补录清单"
HELP_SHEET = "填写说明"
FORMATTED_ROWS = 1000
TEXT_COLUMNS = frozenset({C.CERT_NO.key, C.DECLARATION_NOS.key, C.EXPORTER_CODE.key})
WIDTHS = {
    C.AUTHORITY.key: 10,
    C.CERT_NO.key: 22,
    C.EXPORTED.key: 13,
    C.DECLARATION_NOS.key: 44,
    C.EXPORTER_CODE.key: 22,
    C.CERT_TYPE.key: 16,
    C.CREATED_ON.key: 14,
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")

# (column, 是否必填, 格式, 示例, 说明)
HELP: tuple[tuple[C.Column, str, str, str, str], ...] = (
    (
        C.AUTHORITY,
        "是（运行时用 --authority 指定则可不填）",
        "海关 或 贸促会（下拉选择）",
        "海关",
        "证书的签证机构，决定在“海关原产地证书”还是“贸促会原产地证书”下补录",
    ),
    (
        C.CERT_NO,
        "是",
        "文本。海关：1位字母+15位数字；贸促会：字母数字，可带“/序号”",
        "A211026902331080 或 24C6101A0001/00012",
        "原产地证书的证明号（证书号），须为审核通过的证书",
    ),
    (
        C.EXPORTED,
        "否（空白时：填了报关单号即视为“是”）",
        "是 或 否（下拉选择）",
        "是",
        "货物是否实际出口。选“否”时报关单号必须留空",
    ),
    (
        C.DECLARATION_NOS,
        "选“是”时必填",
        "文本，每个号码18位半角数字；多个号码用英文分号 ; 分隔",
        "510120240000012345;510120240000012346",
        "出口报关单号：第5-8位为年份（近五年内），第9位为0（出口）；进口报关单（第9位为1）不能补录",
    ),
    (C.EXPORTER_CODE, "否", "10位海关编码或18位统一社会信用代码", "6101930001", "出口商代码，可选，用于查询和核对"),
    (C.CERT_TYPE, "否", "文本", "一般原产地证书", "证明类型，可选，用于查询和核对"),
    (
        C.CREATED_ON,
        "否",
        "日期：YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD",
        "2024-05-01",
        "证明创建日期，可选，用于查询和核对",
    ),
)

RULES: tuple[str, ...] = (
    "填写规则：",
    "1. 每行一个证书；第一行是表头，请勿修改表头文字，可在右侧增加自己的列（机器人原样保留）。",
    "2. 一个证书有多个报关单号时，写在同一个单元格里，用英文分号 ; 分隔。"
    "机器人也接受中文分号；、逗号 , ，、空格和换行，并自动改为英文分号；重复的号码只保留一个。",
    "3. 报关单号、证明号、出口商代码列已设为“文本”格式，请勿改为“常规”或“数值”："
    "Excel 只保留15位有效数字，存成数字的18位报关单号会丢失末几位（显示为 5.10120E+17）且无法恢复。"
    "从别处复制号码时，请先粘贴到记事本再复制过来，或在号码前加英文单引号 '。",
    "4. 请使用半角数字（0-9），不要使用全角数字（０-９）。",
    "5. 同一证明号只写一行；同一证明号出现多行且报关单号不同时，这些行都不会处理。",
    "6. 处理结果写在结果文件（<输入文件名>-结果-<时间>.xlsx）中，原输入文件不会被修改。",
)


def write_template(path: Path) -> None:
    """Write a blank input workbook to `path`."""
    write_prefilled(path, [])


def write_prefilled(path: Path, rows: list[dict[str, str]]) -> None:
    """Write the template with `rows` filled in as text.

    Row keys are Chinese headers or English aliases (see `robot.books.columns`); other keys become extra
    columns after the standard ones, in first-seen order.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    headers = [c.header for c in C.COLUMNS]
    positions: dict[str, int] = {}
    for row in rows:
        for key in row:
            column = C.match_header(key)
            name = column.header if column else key
            if name not in headers:
                headers.append(name)
            positions[key] = headers.index(name) + 1
    _header(ws, headers)
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            set_text(ws.cell(row=r, column=positions[key]), value)
    _format(ws, max(FORMATTED_ROWS, len(rows) + 1))
    _help(wb.create_sheet(HELP_SHEET))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _header(ws: Worksheet, headers: list[str]) -> None:
    for i, name in enumerate(headers, start=1):
        cell = set_text(ws.cell(row=1, column=i), name)
        column = C.match_header(name)
        cell.font = REQUIRED_FONT if column and column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        width = WIDTHS.get(column.key, 16) if column else max(12, len(name) * 2 + 2)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _format(ws: Worksheet, last_row: int) -> None:
    for i, column in enumerate(C.COLUMNS, start=1):
        letter = get_column_letter(i)
        if column.key in TEXT_COLUMNS:
            for r in range(2, last_row + 1):
                ws.cell(row=r, column=i).number_format = TEXT_FORMAT
        if column.key == C.CREATED_ON.key:
            for r in range(2, last_row + 1):
                cell = ws.cell(row=r, column=i)
                if cell.value is None:
                    cell.number_format = "yyyy-mm-dd"
        if column.key == C.DECLARATION_NOS.key:
            for r in range(2, last_row + 1):
                ws.cell(row=r, column=i).alignment = Alignment(wrap_text=True, vertical="top")
        choices = {C.AUTHORITY.key: "海关,贸促会", C.EXPORTED.key: "是,否"}.get(column.key)
        if choices:
            dv = DataValidation(
                type="list",
                formula1=f'"{choices}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=f"请从下拉列表选择：{choices.replace(',', ' 或 ')}",
            )
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(dv)


def _help(ws: Worksheet) -> None:
    titles = ("列名", "英文名", "是否必填", "格式", "示例", "说明")
    for i, title in enumerate(titles, start=1):
        cell = set_text(ws.cell(row=1, column=i), title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, (column, required, fmt, example, note) in enumerate(HELP, start=2):
        for i, value in enumerate((column.header, column.key, required, fmt, example, note), start=1):
            set_text(ws.cell(row=r, column=i), value).alignment = wrap
    start = len(HELP) + 3
    for r, line in enumerate(RULES, start=start):
        set_text(ws.cell(row=r, column=1), line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(titles))
        ws.cell(row=r, column=1).alignment = wrap
        ws.row_dimensions[r].height = 18 if len(line) < 60 else 36
    ws.cell(row=start, column=1).font = HEADER_FONT
    for letter, width in zip("ABCDEF", (14, 16, 26, 40, 40, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
