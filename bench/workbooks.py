"""Input workbooks for the benchmarks and drills, built from a mock portal's own data.

`save_rows` writes rows under the template's header on a sheet 补录清单 (tests/support/workbooks.py
uses it too: bench never imports the tests); `plain_rows` picks `count` approved certificates of
exporter1 (海关 first, then 贸促会), each with one valid declaration number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook

USER = "exporter1"
HEADERS = ["签证机构", "证明号", "是否实际出口", "报关单号", "出口商代码", "备注"]


class PortalApi(Protocol):
    """What is read of the mock portal's test API (mock_portal.harness.TestApi)."""

    def certificates(self, user: str) -> list[dict[str, Any]]: ...

    def declarations(self, user: str) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class PlainRow:
    """One valid 是 row: 签证机构, 证明号 and its one 报关单号."""

    authority: str
    cert_no: str
    number: str


def save_rows(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> None:
    """An input workbook of `rows` under the template's header (or `headers`), on a sheet 补录清单."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "补录清单"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def good_numbers(api: PortalApi, user: str = USER) -> list[str]:
    """Declaration numbers of `user` that a 补录 accepts (export, 放行 or 结关)."""
    return [
        d["number"]
        for d in api.declarations(user)
        if d["enterprise"] == user and d["flag"] == "0" and d["status"] in ("放行", "结关")
    ]


def plain_rows(api: PortalApi, count: int, user: str = USER) -> list[PlainRow]:
    """`count` approved certificates of `user` (海关 first, then 贸促会), one valid number each."""
    certs = [c for c in api.certificates(user) if c["approved"]]
    ordered = [c for c in certs if c["authority"] == "海关"] + [c for c in certs if c["authority"] == "贸促会"]
    numbers = good_numbers(api, user)
    if len(ordered) < count or len(numbers) < count:
        raise ValueError(f"the mock portal has too few certificates or numbers for {count} rows")
    return [PlainRow(c["authority"], c["certNo"], n) for c, n in zip(ordered[:count], numbers, strict=False)]


def save_plain(path: Path, rows: list[PlainRow]) -> Path:
    """The workbook of `rows` (是, one number, a 备注 per row)."""
    save_rows(path, [[r.authority, r.cert_no, "是", r.number, "", f"第{i}"] for i, r in enumerate(rows)])
    return path
