"""Builds real input .xlsx files for the data-layer unit tests."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HEADER = ["签证机构", "证明号", "是否实际出口", "报关单号", "出口商代码", "证明类型", "证明创建日期"]
NO1 = "510120240000012345"
NO2 = "510120240000012346"
CERT = "A211026902331080"
CERT2 = "A211026902331081"


def make_book(path: Path, rows: list[list[object]], header: list[str] | None = None, title: str = "补录清单") -> Path:
    """Write `header` (default: the template header) and `rows`: numbers, dates as given; strings as text."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    ws.append(HEADER if header is None else header)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as typed, even "=1+1" (like '=1+1 in Excel)
    wb.save(path)
    return path
