"""Which search answer the robot takes: only one whose request asked for its own criteria and page.

The page re-runs its previous query by itself after each 【提交】; the robot's 【查询】 does not wait
for that, so an answer to the page's own query must never be taken for the robot's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.pages.search_page import Criteria, asks_for

ROBOT = Criteria("C123", "3100000001", None, date(2026, 11, 2), date(2026, 11, 2))


def _body(**changes: Any) -> dict[str, Any]:
    body = {"authority": "customs", "certType": "", "exporterCode": "3100000001", "createdFrom": "2026-11-02",
            "createdTo": "2026-11-02", "certNo": "C123", "page": 1, "size": 10}
    return {**body, **changes}


def test_the_answer_to_its_own_query_is_taken() -> None:
    assert asks_for(ROBOT, 1)(_body())


def test_the_pages_own_requery_of_the_previous_certificate_is_not_taken() -> None:
    assert not asks_for(ROBOT, 1)(_body(certNo="C122"))


def test_another_page_of_the_same_query_is_not_taken() -> None:
    assert not asks_for(ROBOT, 1)(_body(page=2))
    assert asks_for(ROBOT, 2)(_body(page=2))


def test_empty_criteria_match_empty_fields() -> None:
    everything = _body(exporterCode="", createdFrom="", createdTo="", certNo="")
    assert asks_for(Criteria(), 1)(everything)
    assert not asks_for(Criteria(), 1)(_body())
