"""Validation of input rows: turns raw cell values into a `Task` or a list of `Rejection`s.

Owns the business rules on the input (reasons in Chinese, one `Rejection` per problem):

- 报关单号: `；` `,` `，` `、` spaces (also full-width) and line breaks become `;`; empty parts and
  repeated numbers are dropped (first order kept). Each number: exactly 18 ASCII digits, 9th digit 0
  (export), digits 5-8 a year in [today.year - 5, today.year]. A numeric cell is corrupt when it has
  16 digits or more (Excel keeps 15 significant digits) and is rejected with the fix.
- 是否实际出口: 是/否 (Y/N, yes/no, 1/0, TRUE/FALSE); blank means 是 when numbers are given.
- 签证机构: 海关/贸促会, or the run's default authority when the column is blank or absent.
- 证明号: required, trimmed, uppercased; customs: letter + 15 digits; CCPIT: lenient shape.
- 出口商代码, 证明类型, 证明创建日期: optional, checked when filled.
- Any of these columns: an error value (#N/A …, typed by the workbook) is rejected as 公式错误, a formula
  saved without its result as such, a text over max_cell_chars as too long, a text holding invisible
  characters (zero-width space, BOM, control characters) names them; the column is then not checked further.
  Values are cut in messages (first 50 characters and the length: `robot.books.cells.clip`).

Duplicates (`reject_conflicts`): rows naming the same certificate (authority + 证明号) with a
different answer (是否实际出口 or set of numbers) are all rejected, each naming the others. Exact
duplicates (same answer, numbers in any order) keep the first row; every later copy is rejected as
a duplicate of the first, so the certificate is submitted once and the result sheet says why the
copy was not processed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from robot.books import columns as C
from robot.books.cells import CellError, NoCachedValue, TooLong, clip, invisible_characters
from robot.core.model import Authority, Rejection, Task

SPLIT = re.compile(r"[;；,，、\s\u3000]+")
DIGITS18 = re.compile(r"[0-9]{18}")
ASCII_DIGITS = re.compile(r"[0-9]+")
FULL_WIDTH = re.compile(r"[\uff01-\uff5e]")
FULL_WIDTH_DIGIT = re.compile(r"[０-９]")
CUSTOMS_CERT = re.compile(r"[A-Z][0-9]{15}")
CCPIT_CERT = re.compile(r"[0-9A-Z]{6,20}(/[0-9]{1,6})?")
CUSTOMS_CODE = re.compile(r"[0-9A-Z]{10}")
USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
DATE_TEXT = re.compile(
    r"(?P<y>[0-9]{4})(?:[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})|(?P<m2>[0-9]{2})(?P<d2>[0-9]{2}))"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
)

YES = frozenset({"是", "y", "yes", "1", "true"})
NO = frozenset({"否", "n", "no", "0", "false"})

EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number
YEARS_BACK = 5


def cell_text(value: object) -> str:
    """A faithful text rendering of a cell value as robot.books.workbook_in reads it ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return excel_number_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def excel_number_text(value: float | int) -> str:
    """A number the way Excel keeps it: at most 15 significant digits, e.g. 5.10120240000012E+17."""
    number = float(value)
    if number.is_integer() and abs(number) < 10**EXCEL_DIGITS:
        return str(int(number))
    return format(number, f".{EXCEL_DIGITS}g").upper()


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def lost_digits(value: object) -> bool:
    """True when a numeric cell is too long for Excel's 15 significant digits."""
    return is_number(value) and abs(value) >= 10**EXCEL_DIGITS  # type: ignore[operator]


def number_cell_reason(value: object, what: str) -> str:
    """The fix for a long number that Excel stored as a number and truncated."""
    return (
        f"单元格存储为数字，Excel 只保留15位有效数字，{what}的末几位已丢失"
        f"（Excel 显示为 {excel_number_text(value)}，无法恢复）。"
        f"请把该列单元格格式设置为“文本”后重新输入或粘贴{what}，或在号码前加英文单引号 '"
    )


def split_numbers(text: str) -> tuple[str, ...]:
    """报关单号 cell text -> numbers in given order, separators normalized, empties and repeats dropped."""
    parts = (p.lstrip("'‘’") for p in SPLIT.split(text))
    return tuple(dict.fromkeys(p for p in parts if p))


def number_problem(number: str, today: date) -> str | None:
    """Why one declaration number is unusable, or None."""
    if FULL_WIDTH_DIGIT.search(number):
        return f"报关单号“{number}”含全角数字，请使用半角数字（0-9）"
    if not ASCII_DIGITS.fullmatch(number):
        return f"报关单号“{number}”只能包含半角数字（0-9），多个号码请用英文分号 ; 分隔"
    if not DIGITS18.fullmatch(number):
        return f"报关单号“{number}”应为18位数字，实际为{len(number)}位"
    if number[8] == "1":
        return f"报关单号“{number}”第9位为1，是进口报关单，不能补录（出口报关单第9位为0）"
    if number[8] != "0":
        return f"报关单号“{number}”第9位（进出口标志）应为0（出口）"
    year = int(number[4:8])
    if year > today.year:
        return f"报关单号“{number}”第5-8位年份{year}晚于今年（{today.year}）"
    if year < today.year - YEARS_BACK:
        return f"报关单号“{number}”第5-8位年份{year}早于{today.year - YEARS_BACK}年（超过五年）"
    return None


def parse_exported(text: str) -> bool | None:
    """是/否 and common spellings -> True/False; None when blank. Raises ValueError when unknown."""
    value = text.strip().lower()
    if not value:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(value)


def parse_date_text(text: str) -> date | None:
    """YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD (optionally with a time) -> date; None when unusable."""
    m = DATE_TEXT.fullmatch(text.strip())
    if not m:
        return None
    month, day = (m["m"], m["d"]) if m["m"] else (m["m2"], m["d2"])
    try:
        return date(int(m["y"]), int(month), int(day))
    except ValueError:
        return None


def cert_problem(cert_no: str, authority: Authority | None) -> str | None:
    """Why a (trimmed, uppercased) 证明号 has the wrong shape for its authority, or None."""
    if FULL_WIDTH.search(cert_no):
        return "证明号含全角字符，请使用半角字母和数字"
    if authority is Authority.CUSTOMS:
        if CUSTOMS_CERT.fullmatch(cert_no):
            return None
        return "海关证明号应为16位：1位字母+15位数字，例如 A211026902331080"
    if CCPIT_CERT.fullmatch(cert_no):
        return None
    if authority is Authority.CCPIT:
        return "贸促会证明号格式不正确：应为字母和数字，可带“/序号”，例如 24C6101A0001/00012"
    return "证明号格式不正确：海关证明号如 A211026902331080，贸促会证明号如 24C6101A0001/00012"


@dataclass
class Checked:
    """One row after the per-row checks: what could be parsed, the task if valid, the rejections."""

    row: int
    rejections: list[Rejection] = field(default_factory=list)
    authority: Authority | None = None
    cert_no: str | None = None
    cert_text: str = ""
    exported: bool | None = None
    numbers: tuple[str, ...] = ()
    task: Task | None = None


class _Row:
    """Helper holding one row's raw cells and headers while checking it."""

    def __init__(self, row: int, raw: Mapping[str, object], headers: Mapping[str, str]) -> None:
        self.row, self.raw, self.headers = row, raw, headers
        self.rejections: list[Rejection] = []

    def text(self, col: C.Column) -> str:
        return cell_text(self.raw.get(col.key))

    def reject(self, col: C.Column, reason: str, value: str | None = None) -> None:
        shown = self.text(col) if value is None else value
        self.rejections.append(Rejection(self.row, self.headers.get(col.key, col.header), clip(shown), reason))


def unusable_reason(value: object) -> str | None:
    """Why a cell cannot be read at all, whatever its column: an error value, a formula without its
    result, a text over the limit, invisible characters. None when it can be checked."""
    if isinstance(value, CellError):
        return f"公式错误 {clip(value)}：公式的结果是错误值（例如 VLOOKUP 没有找到），请改正公式或直接填写值"
    if isinstance(value, NoCachedValue):
        return (
            "公式没有计算结果：文件保存时没有公式的结果（由不计算公式的程序生成）。"
            "请在 Excel 中打开该文件并保存后再试，或直接填写值"
        )
    if isinstance(value, TooLong):
        return (
            f"单元格内容过长（{value.length} 个字符，超过上限 {len(value)} 个字符，设置 max_cell_chars），请删减后再试"
        )
    if isinstance(value, str):
        hidden = invisible_characters(value)
        if hidden:
            return f"含不可见字符：{'、'.join(hidden)}。请删除这些字符后重新输入（可清空单元格后重新键入）"
    return None


def validate_row(
    row: int,
    raw: Mapping[str, object],
    headers: Mapping[str, str],
    *,
    default_authority: Authority | None,
    today: date,
) -> Checked:
    """Check one data row. `raw`: column key -> cell value as read (key absent = column absent);
    `headers`: column key -> header as written in the file."""
    original = raw
    unusable = {key: reason for key, value in raw.items() if (reason := unusable_reason(value))}
    if unusable:
        raw = {key: (None if key in unusable else value) for key, value in raw.items()}
    r = _Row(row, raw, headers)
    authority = _authority(r, default_authority)
    cert_no = _cert_no(r, authority)
    numbers = _numbers(r, today)
    exported = _exported(r, numbers)
    exporter_code = _exporter_code(r)
    cert_type = r.text(C.CERT_TYPE).strip() or None
    created_on = _created_on(r)
    if unusable:
        bad = {headers.get(key, C.BY_KEY[key].header) for key in unusable}
        r.rejections[:] = [
            *(
                Rejection(row, headers.get(key, C.BY_KEY[key].header), clip(cell_text(original[key])), reason)
                for key, reason in unusable.items()
            ),
            *(x for x in r.rejections if x.column not in bad),
        ]
    checked = Checked(row, r.rejections, authority, cert_no, r.text(C.CERT_NO), exported, numbers)
    if not r.rejections and authority is not None and cert_no is not None and exported is not None:
        checked.task = Task(
            row=row,
            authority=authority,
            cert_no=cert_no,
            exported=exported,
            declaration_nos=numbers if exported else (),
            exporter_code=exporter_code,
            cert_type=cert_type,
            created_on=created_on,
        )
    return checked


def _authority(r: _Row, default: Authority | None) -> Authority | None:
    text = r.text(C.AUTHORITY).strip()
    if not text:
        if default is None:
            r.reject(C.AUTHORITY, "请填写签证机构（海关或贸促会），或运行时用 --authority 指定")
        return default
    authority = Authority.parse(text)
    if authority is None:
        r.reject(C.AUTHORITY, "签证机构应为“海关”或“贸促会”")
    return authority


def _cert_no(r: _Row, authority: Authority | None) -> str | None:
    value = r.raw.get(C.CERT_NO.key)
    if is_number(value):
        if lost_digits(value):
            r.reject(C.CERT_NO, number_cell_reason(value, "证明号"))
        else:
            r.reject(C.CERT_NO, "证明号含字母，不能是数字；请把该列单元格格式设置为“文本”后重新输入")
        return None
    cert_no = cell_text(value).strip().upper()
    if not cert_no:
        r.reject(C.CERT_NO, "证明号不能为空")
        return None
    problem = cert_problem(cert_no, authority)
    if problem:
        r.reject(C.CERT_NO, problem)
        return None
    return cert_no


def _numbers(r: _Row, today: date) -> tuple[str, ...]:
    """The numbers of the row, valid or not (each bad one adds a rejection)."""
    value = r.raw.get(C.DECLARATION_NOS.key)
    if lost_digits(value):
        r.reject(C.DECLARATION_NOS, number_cell_reason(value, "报关单号"))
        return (excel_number_text(value),)  # type: ignore[arg-type]
    numbers = split_numbers(cell_text(value))
    for number in numbers:
        problem = number_problem(number, today)
        if problem:
            r.reject(C.DECLARATION_NOS, problem)
    return numbers


def _exported(r: _Row, numbers: tuple[str, ...]) -> bool | None:
    text = r.text(C.EXPORTED)
    try:
        exported = parse_exported(text)
    except ValueError:
        r.reject(C.EXPORTED, "是否实际出口应填写“是”或“否”")
        return None
    if exported is None:
        if numbers:
            return True
        r.reject(C.DECLARATION_NOS, "报关单号为空：实际出口请填写报关单号；未实际出口请在“是否实际出口”填“否”")
        return None
    if exported and not numbers:
        r.reject(C.DECLARATION_NOS, "是否实际出口为“是”，请填写报关单号")
        return None
    if not exported and numbers:
        r.reject(C.EXPORTED, "选择“否”时不应填写报关单号")
        return None
    return exported


def _exporter_code(r: _Row) -> str | None:
    value = r.raw.get(C.EXPORTER_CODE.key)
    if lost_digits(value):
        r.reject(C.EXPORTER_CODE, number_cell_reason(value, "出口商代码"))
        return None
    code = cell_text(value).strip().upper()
    if not code:
        return None
    if CUSTOMS_CODE.fullmatch(code) or USCC.fullmatch(code):
        return code
    r.reject(C.EXPORTER_CODE, "出口商代码应为10位海关编码或18位统一社会信用代码")
    return None


def _created_on(r: _Row) -> date | None:
    value = r.raw.get(C.CREATED_ON.key)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).strip()
    if not text:
        return None
    parsed = None if isinstance(value, float) else parse_date_text(text)
    if parsed is None:
        r.reject(C.CREATED_ON, "证明创建日期应为日期，格式 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD，例如 2024-05-01")
    return parsed


def reject_conflicts(checked: list[Checked], headers: Mapping[str, str]) -> None:
    """Cross-row rule on the same certificate (authority + 证明号); see the module docstring."""
    groups: dict[tuple[Authority, str], list[Checked]] = {}
    for c in checked:
        if c.authority is not None and c.cert_no is not None:
            groups.setdefault((c.authority, c.cert_no), []).append(c)
    column = headers.get(C.CERT_NO.key, C.CERT_NO.header)
    for group in groups.values():
        if len(group) < 2:
            continue
        answers = {(c.exported, frozenset(c.numbers)) for c in group}
        if len(answers) == 1:
            first = group[0]
            reason = f"与第{first.row}行重复（同一证明号、同样的报关单号），只处理第{first.row}行"
            for c in group[1:]:
                _add(c, Rejection(c.row, column, c.cert_text, reason))
            continue
        exported_differs = len({c.exported for c in group}) > 1
        what = "是否实际出口" if exported_differs else "报关单号"
        for c in group:
            others = "、".join(str(o.row) for o in group if o is not c)
            _add(c, Rejection(c.row, column, c.cert_text, f"与第{others}行同一证明号但{what}不同，请只保留一行"))


def _add(c: Checked, rejection: Rejection) -> None:
    c.rejections.append(rejection)
    c.task = None
