"""Tenant isolation in the browser: exporter2 can neither see nor supplement exporter1's certificates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import Portal
from tests.support.portal_wire import submit_directly

pytestmark = pytest.mark.e2e


@pytest.fixture
def foreign(portal: Portal) -> dict[str, Any]:
    return next(c for c in portal.api.certificates("exporter1") if c["approved"] and c["authority"] == "海关")


@pytest.fixture
def exporter2_search(page: Page, login: Callable[..., None]) -> FrameLocator:
    login(page, "exporter2")
    return steps.open_search(steps.open_app(page), "customs")


def test_search_does_not_list_another_enterprise(exporter2_search: FrameLocator, foreign: dict[str, Any]) -> None:
    steps.field(exporter2_search, "证明号").fill(foreign["certNo"])
    steps.button(exporter2_search, "查询").click()
    expect(exporter2_search.get_by_text(steps.NO_DATA)).to_be_visible()
    expect(exporter2_search.locator("tbody tr")).to_have_count(1)
    expect(exporter2_search.get_by_text(foreign["certNo"])).to_have_count(0)


def test_direct_xhr_for_another_enterprise_is_refused(
    exporter2_search: FrameLocator, portal: Portal, foreign: dict[str, Any]
) -> None:
    expect(exporter2_search.get_by_text("海关原产地证书补录", exact=True)).to_be_visible()
    answer = submit_directly(portal, exporter2_search, foreign["id"])
    assert answer["body"]["errCode"] == "102" and answer["body"]["errMsg"] == "证明不存在", answer
    assert portal.api.submissions(enterprise="exporter2", cert_no=foreign["certNo"]) == []
