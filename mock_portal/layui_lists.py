"""The result lists of the layui front end as the variant shapes them: which columns in what order, the
operation links, and — for the server-rendered list — the rows, the pager and its links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from mock_portal.variants import Variant

CERT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("certNo", "证明号"),
    ("certType", "证明类型"),
    ("exporterCode", "出口商代码"),
    ("exporterName", "出口商名称"),
    ("createdOn", "证明创建日期"),
    ("auditStatus", "审核状态"),
    ("supplementStatus", "补录状态"),
)
RECORD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("certNo", "证明号"),
    ("authority", "签证机构"),
    ("certType", "证明类型"),
    ("exporterCode", "出口商代码"),
    ("exported", "是否实际出口"),
    ("declarationNos", "报关单号"),
    ("time", "补录时间"),
    ("status", "补录状态"),
)
LEADING: dict[str, str] = {"checkbox": "", "serial": "序号"}
# (op, link text, icon glyph); the guide's link is the last one of each list.
OPS: dict[str, dict[str, tuple[tuple[str, str, str], ...]]] = {
    "cert": {
        "one": (("supplement", "补录", "&#xe642;"),),
        "two": (("view", "查看", "&#xe615;"), ("supplement", "补录", "&#xe642;")),
    },
    "record": {
        "one": (("detail", "详情", "&#xe60b;"),),
        "two": (("detail", "详情", "&#xe60b;"), ("print", "打印", "&#xe66d;")),
    },
}


def columns(variant: Variant, kind: str) -> list[tuple[str, str]]:
    """(key, header) of every column: checkbox/序号, the data in the variant's order, 操作."""
    data = list(CERT_COLUMNS if kind == "cert" else RECORD_COLUMNS)
    keys = [key for key, _ in data]
    titles = dict(data)
    lead = [(key, LEADING[key]) for key in variant.leading_columns()]
    return [*lead, *[(key, titles[key]) for key in variant.ordered(keys)], ("op", "操作")]


def ops(variant: Variant, kind: str) -> list[dict[str, str]]:
    """The operation column's links: op, text, icon ("" without icons)."""
    return [
        {"op": op, "text": text, "icon": icon if variant.button_icons else ""}
        for op, text, icon in OPS[kind][variant.op_links]
    ]


@dataclass(frozen=True)
class Pager:
    """A server-rendered list's pager: where it stands and the links to the other pages."""

    page: int
    pages: int
    total: int
    size: int
    links: dict[str, str]
    """first, prev, next, last, and str(n) for each page number → the page's address."""


def pager(path: str, params: dict[str, str], page: int, size: int, total: int) -> Pager:
    pages = max(1, -(-total // size))
    kept = {k: v for k, v in params.items() if k not in ("page", "limit") and v}

    def link(n: int) -> str:
        return path + "?" + urlencode({**kept, "page": n, "limit": size})

    links = {str(n): link(n) for n in range(1, pages + 1)}
    if page > 1:
        links.update(first=link(1), prev=link(page - 1))
    if page < pages:
        links.update(next=link(page + 1), last=link(pages))
    return Pager(page, pages, total, size, links)


def serials(rows: list[dict[str, Any]], page: int, size: int) -> list[dict[str, Any]]:
    """The rows with their 序号 over all pages."""
    return [{**row, "serial": (page - 1) * size + i + 1} for i, row in enumerate(rows)]
