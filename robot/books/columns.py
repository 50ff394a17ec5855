"""The input workbook's columns: Chinese headers, English aliases and header matching.

Owns the one list of columns the robot reads (and the template writes). Matching a header
trims ASCII and full-width spaces anywhere in it; English aliases match case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One input column: its key (English name), Chinese header and whether it must exist."""

    key: str
    header: str
    required: bool = False


AUTHORITY = Column("authority", "签证机构")
CERT_NO = Column("cert_no", "证明号", required=True)
EXPORTED = Column("exported", "是否实际出口")
DECLARATION_NOS = Column("declaration_nos", "报关单号", required=True)
EXPORTER_CODE = Column("exporter_code", "出口商代码")
CERT_TYPE = Column("cert_type", "证明类型")
CREATED_ON = Column("created_on", "证明创建日期")
ACCOUNT = Column("account", "账号")
"""Which configured account works the row (robot.books.account_column); not in the blank template."""

# Template order.
COLUMNS: tuple[Column, ...] = (
    AUTHORITY,
    CERT_NO,
    EXPORTED,
    DECLARATION_NOS,
    EXPORTER_CODE,
    CERT_TYPE,
    CREATED_ON,
)
BY_KEY: dict[str, Column] = {c.key: c for c in (*COLUMNS, ACCOUNT)}

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_LOOKUP: dict[str, Column] = {}
for _c in (*COLUMNS, ACCOUNT):
    _LOOKUP[_c.header] = _c
    _LOOKUP[_c.key.lower()] = _c


def normalize_header(text: object) -> str:
    """Header text without any spaces (ASCII, full-width, no-break); '' for an empty cell."""
    if text is None:
        return ""
    return _SPACES.sub("", str(text))


def match_header(text: object) -> Column | None:
    """The column a header cell names (Chinese header or English alias), or None."""
    name = normalize_header(text)
    if not name:
        return None
    return _LOOKUP.get(name) or _LOOKUP.get(name.lower())
