"""Cell values the input reader cannot take at face value, typed by the parsed workbook (not guessed from
their text): an error value, a formula saved without its result, a text longer than the limit.

Each is a `str` holding what the cell shows (so the result workbook carries it), and validation rejects
a row holding one in a column it reads (`robot.books.validate`). `clip` cuts long values in messages.
"""

from __future__ import annotations

import re

CLIP_CHARS = 50
"""A value longer than this is cut in messages and logs: its first 50 characters and its length."""


class CellError(str):
    """An error value of a cell (t="e"): #N/A, #REF!, #VALUE! …, e.g. a VLOOKUP that found nothing."""

    __slots__ = ()


class NoCachedValue(str):
    """A formula cell saved without its result (written by a program that does not calculate); the text
    is the formula, e.g. "=VLOOKUP(A2,表2!A:B,2,0)"."""

    __slots__ = ()


class TooLong(str):
    """The first `max_cell_chars` characters of a longer text; `length` is the full length."""

    length: int

    def __new__(cls, head: str, length: int) -> TooLong:
        text = super().__new__(cls, head)
        text.length = length
        return text


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    """`text`, or its first `limit` characters and its length when longer (for messages and logs)."""
    length = text.length if isinstance(text, TooLong) else len(text)
    if length <= limit:
        return str(text)
    return f"{text[:limit]}…（共 {length} 个字符）"


INVISIBLE_NAMES = {
    "\u200b": "零宽空格 U+200B",
    "\u200c": "零宽非连接符 U+200C",
    "\u200d": "零宽连接符 U+200D",
    "\u2060": "零宽不换行空格 U+2060",
    "\ufeff": "BOM（零宽不换行空格 U+FEFF）",
    "\u00ad": "软连字符 U+00AD",
    "\u200e": "从左到右标记 U+200E",
    "\u200f": "从右到左标记 U+200F",
    "\u202a": "方向控制符 U+202A",
    "\u202b": "方向控制符 U+202B",
    "\u202c": "方向控制符 U+202C",
    "\u202d": "方向控制符 U+202D",
    "\u202e": "方向控制符 U+202E",
    "\u2066": "方向控制符 U+2066",
    "\u2067": "方向控制符 U+2067",
    "\u2068": "方向控制符 U+2068",
    "\u2069": "方向控制符 U+2069",
}
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
"""Characters that do not show: control characters (tabs and line breaks excepted: they separate several
numbers in one cell), zero-width spaces and joiners, direction marks, the BOM, the soft hyphen."""


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in `text`, each named once (zero-width space, BOM, control character …)."""
    found: dict[str, str] = {}
    for match in INVISIBLE.finditer(text):
        ch = match.group()
        if ch not in found:
            found[ch] = INVISIBLE_NAMES.get(ch) or f"控制字符 U+{ord(ch):04X}"
    return list(found.values())
