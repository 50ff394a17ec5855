"""A sheet of portal entries (补录信息) written row by row: the portal's column names, dates as
Excel dates, everything else (numbers included) as literal text. Used by `harvest` and the run report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

ENTRIES_SHEET = "补录信息"
_DATE_FORMATS = (("%Y-%m-%d %H:%M:%S", "yyyy-mm-dd hh:mm:ss"), ("%Y-%m-%d", "yyyy-mm-dd"))


def is_date_column(name: str) -> bool:
    return name.endswith(("时间", "日期"))


class EntriesSheet:
    """Appends entries (dicts keyed by column name) to one worksheet; the first entry fixes the columns,
    later unknown keys are appended as new columns."""

    def __init__(self, workbook: Workbook, name: str = ENTRIES_SHEET) -> None:
        self.ws: Worksheet = workbook.add_worksheet(name)
        self.columns: list[str] = []
        self.rows = 0
        self._text = workbook.add_format({"num_format": "@"})
        self._header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "num_format": "@"})
        self._dates = {fmt: workbook.add_format({"num_format": fmt}) for _, fmt in _DATE_FORMATS}

    def write(self, entries: Iterable[dict[str, str]]) -> None:
        for entry in entries:
            for key in entry:
                if key not in self.columns:
                    self.ws.write_string(0, len(self.columns), key, self._header)
                    self.ws.set_column(len(self.columns), len(self.columns), 22 if is_date_column(key) else 18)
                    self.columns.append(key)
            self.rows += 1
            for col, key in enumerate(self.columns):
                self._cell(self.rows, col, key, str(entry.get(key, "") or ""))

    def finish(self, empty_note: str = "没有查询到数据") -> None:
        if not self.columns:
            self.ws.write_string(0, 0, empty_note, self._text)
        else:
            self.ws.freeze_panes(1, 0)
            self.ws.autofilter(0, 0, self.rows, len(self.columns) - 1)

    def _cell(self, row: int, col: int, key: str, value: str) -> None:
        if value and is_date_column(key):
            for pattern, fmt in _DATE_FORMATS:
                try:
                    self.ws.write_datetime(row, col, datetime.strptime(value, pattern), self._dates[fmt])
                    return
                except ValueError:
                    continue
        if value:
            self.ws.write_string(row, col, value, self._text)
        else:
            self.ws.write_blank(row, col, None, self._text)
