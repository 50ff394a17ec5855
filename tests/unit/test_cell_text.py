"""Text rendering of cell values and splitting of declaration numbers (robot.books.validate helpers)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from robot.books.validate import cell_text, excel_number_text, split_numbers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  a ", "  a "),
        (True, "TRUE"),
        (6101930001, "6101930001"),
        (12.0, "12"),
        (0.1, "0.1"),
        (5.101202400000124e17, "5.10120240000012E+17"),
        (datetime(2024, 5, 1), "2024-05-01"),
        (datetime(2024, 5, 1, 8, 30), "2024-05-01 08:30:00"),
        (date(2024, 5, 1), "2024-05-01"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_excel_number_text_keeps_15_significant_digits() -> None:
    assert excel_number_text(510120240000012345) == "5.10120240000012E+17"


def test_split_numbers_drops_empties_and_repeats_keeping_order() -> None:
    assert split_numbers(" b；a,\n\nb，c、a\u3000") == ("b", "a", "c")


def test_split_numbers_strips_a_leading_apostrophe() -> None:
    assert split_numbers("'510120240000012345") == ("510120240000012345",)
