"""Writing cells as literal text with openpyxl: never a number, never a formula.

openpyxl turns a string starting with "=" into a formula; `set_text`/`text_cell` force the cell
back to a string (data_type "s") and give it the Text number format "@", so `=1+1`, `+86`, `-5`
and `@x` round-trip as the characters typed and Excel keeps new input in the column as text.
Control characters that .xlsx cannot hold are dropped.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

TEXT_FORMAT = "@"


def set_text(cell: Cell, value: object) -> Cell:
    """Store `value` in `cell` as a literal string (empty for None/'') with the Text format."""
    text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text or None
    if text:
        cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    return cell


def text_cell(ws: WriteOnlyWorksheet, value: object) -> Cell:
    """A write-only cell holding `value` as a literal string with the Text format."""
    return set_text(WriteOnlyCell(ws), value)
