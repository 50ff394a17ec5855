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


def _pick(frame: FrameLocator, label: str, day: date) -> None:
    frame.get_by_label(label).click()
    picker = frame.get_by_role("dialog", name="选择日期")
    picker.get_by_role("combobox", name="年").select_option(str(day.year))
    picker.get_by_role("combobox", name="月").select_option(str(day.month))
    picker.get_by_role("button", name=str(day.day), exact=True).click()
    expect(picker).to_have_count(0)


def test_date_picker_fills_readonly_inputs_and_filters(frame: FrameLocator, portal: Portal) -> None:
    cert = _approved(portal)[0]
    day = date.fromisoformat(cert["createdOn"])
    expect(frame.get_by_label("证明创建日期起")).to_have_attribute("readonly", "")
    _pick(frame, "证明创建日期起", day)
    _pick(frame, "证明创建日期止", day)
    expect(frame.get_by_label("证明创建日期起")).to_have_value(cert["createdOn"])
    frame.get_by_role("button", name="查询").click()
    table = frame.get_by_role("table", name="查询结果")
    expect(table.get_by_role("row").filter(has_text=cert["certNo"])).to_have_count(1)
    expected = sum(1 for c in _approved(portal) if c["createdOn"] == cert["createdOn"])
    expect(table.locator("tbody tr")).to_have_count(expected)


def test_date_picker_clear_and_today(frame: FrameLocator) -> None:
    field = frame.get_by_label("证明创建日期止")
    field.click()
    frame.get_by_role("dialog", name="选择日期").get_by_role("button", name="今天").click()
    expect(field).to_have_value(date.today().isoformat())
    field.click()
    frame.get_by_role("dialog", name="选择日期").get_by_role("button", name="清空").click()
    expect(field).to_have_value("")


def test_certificate_type_filter(frame: FrameLocator, portal: Portal) -> None:
    frame.get_by_role("button", name="重置").click()
    frame.get_by_label("证明类型").select_option(label="RCEP原产地证书")
    frame.get_by_role("button", name="查询").click()
    total = sum(1 for c in _approved(portal) if c["certType"] == "RCEP原产地证书")
    expect(frame.get_by_text(f"共 {total} 条")).to_be_visible()


def test_pagination_walks_pages(frame: FrameLocator, portal: Portal) -> None:
    frame.get_by_role("button", name="重置").click()
    total = len(_approved(portal))
    pages = -(-total // 10)
    expect(frame.get_by_text(f"共 {total} 条")).to_be_visible()
    expect(frame.get_by_text(f"第 1 / {pages} 页")).to_be_visible()
    expect(frame.get_by_role("button", name="上一页")).to_be_disabled()
    frame.get_by_role("button", name="下一页").click()
    expect(frame.get_by_text(f"第 2 / {pages} 页")).to_be_visible()
    table = frame.get_by_role("table", name="查询结果")
    expect(table.locator("tbody tr").first.get_by_role("cell").first).to_have_text("11")
    frame.get_by_role("button", name="上一页").click()
    expect(frame.get_by_text(f"第 1 / {pages} 页")).to_be_visible()
