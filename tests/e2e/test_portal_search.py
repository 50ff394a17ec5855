"""The 补录 search page: date picker criteria, certificate type, reset and pagination."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, FrameLocator, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import DEMO_PASSWORD, Portal

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def frame(browser: Browser, portal: Portal) -> Iterator[FrameLocator]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    steps.login(page, portal.url, "exporter1", DEMO_PASSWORD, portal.api.captcha)
    yield steps.open_search(steps.open_app(page), "customs")
    context.close()


def _approved(portal: Portal) -> list[dict[str, Any]]:
    return [c for c in portal.api.certificates("exporter1") if c["approved"] and c["authority"] == "海关"]


def test_date_picker_fills_readonly_inputs_and_filters(frame: FrameLocator, portal: Portal) -> None:
    cert = _approved(portal)[0]
    day = date.fromisoformat(cert["createdOn"])
    start, end = steps.date_range(frame, "证明创建日期")
    expect(start).to_have_attribute("readonly", "")
    steps.pick_date(frame, start, day)
    steps.pick_date(frame, end, day)
    expect(start).to_have_value(cert["createdOn"])
    steps.button(frame, "查询").click()
    rows = frame.locator("tbody tr")
    expect(rows.filter(has_text=cert["certNo"])).to_have_count(1)
    expected = sum(1 for c in _approved(portal) if c["createdOn"] == cert["createdOn"])
    expect(rows).to_have_count(expected)


def test_date_picker_clear_and_today(frame: FrameLocator) -> None:
    _, end = steps.date_range(frame, "证明创建日期")
    steps.pick_today(frame, end)
    expect(end).to_have_value(date.today().isoformat())
    steps.pick_date(frame, end, None)
    expect(end).to_have_value("")


def test_certificate_type_filter(frame: FrameLocator, portal: Portal) -> None:
    steps.button(frame, "重置").click()
    steps.choose(frame, "证明类型", "RCEP原产地证书")
    steps.button(frame, "查询").click()
    total = sum(1 for c in _approved(portal) if c["certType"] == "RCEP原产地证书")
    expect(steps.total_shown(frame, total)).to_be_visible()


def test_pagination_walks_pages(frame: FrameLocator, portal: Portal) -> None:
    steps.button(frame, "重置").click()
    expect(steps.total_shown(frame, len(_approved(portal)))).to_be_visible()
    first = steps.column(frame.locator("tbody tr").first, "序号")
    expect(first).to_have_text("1")
    steps.turn_page(frame)
    expect(first).to_have_text("11")
    steps.turn_page(frame, forward=False)
    expect(first).to_have_text("1")
