"""Read-back compares the 报关单号 a portal shows with the row's, whatever the portal shows between them."""

from __future__ import annotations

import pytest

from flows.portal import record_from_row
from robot.core.model import Authority, Task

A, B, C = "900120260000000001", "900120260000000002", "900120260000000003"
TASK = Task(2, Authority.CUSTOMS, "A261026902331080", True, (A, B, C))


@pytest.mark.parametrize(
    "shown",
    [
        f"{A};{B};{C}",
        f"{A}\n{B}\n{C}",
        f"{A}；{B}；{C}",
        f"{A}，{B}，{C}",
        f"{A}、{B}、{C}",
        f"{A},{B}, {C}",
        f"{A} {B}  {C}",
        f"{A}<br>{B}<br/>{C}",
        f" {C}; {A}\u3000{B} ",
    ],
    ids=["semicolon", "newline", "full-semicolon", "full-comma", "dunhao", "comma", "spaces", "br", "mixed"],
)
def test_the_numbers_shown_match_the_rows_whatever_separates_them(shown: str) -> None:
    record = record_from_row({"证明号": TASK.cert_no, "是否实际出口": "是", "报关单号": shown})
    assert sorted(record.declaration_nos) == [A, B, C]
    assert record.matches(TASK)


def test_other_numbers_still_do_not_match() -> None:
    record = record_from_row({"证明号": TASK.cert_no, "是否实际出口": "是", "报关单号": f"{A}，{B}"})
    assert not record.matches(TASK)
