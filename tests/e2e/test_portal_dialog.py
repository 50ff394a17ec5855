"""The 报关单号补录 dialog: its texts, 否 disabling the numbers, validation messages, 取消."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, FrameLocator, Locator, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import DEMO_PASSWORD, Portal

pytestmark = pytest.mark.e2e
PLACEHOLDER = "请输入报关单号, 若报关单号为多个, 报关单号之间用英文分号分隔"


@pytest.fixture(scope="module")
def cert(portal: Portal) -> dict[str, Any]:
    done = {s["certNo"] for s in portal.api.submissions()}
    return next(
        c
        for c in reversed(portal.api.certificates("exporter1"))
        if c["approved"] and c["authority"] == "海关" and c["certNo"] not in done
    )


@pytest.fixture(scope="module")
def search_frame(browser: Browser, portal: Portal, cert: dict[str, Any]) -> Iterator[FrameLocator]:
    """exporter1's customs search page, with `cert` searched, shared by this module's tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    steps.login(page, portal.url, "exporter1", DEMO_PASSWORD, portal.api.captcha)
    frame = steps.open_search(steps.open_app(page), "customs")
    steps.search(frame, cert["certNo"])
    yield frame
    context.close()


@pytest.fixture
def dialog(search_frame: FrameLocator, cert: dict[str, Any]) -> Iterator[Locator]:
    row = search_frame.locator("tbody tr").filter(has_text=cert["certNo"])
    opened = steps.open_dialog(search_frame, row)
    yield opened
    if opened.count():
        steps.cancel_dialog(opened)
    expect(opened).to_have_count(0)


def test_dialog_shows_the_guide_texts(dialog: Locator, cert: dict[str, Any]) -> None:
    form = steps.dialog_form(dialog)
    expect(dialog.locator(".layui-layer-title")).to_have_text("报关单号补录")
    expect(steps.dialog_body(dialog)).to_contain_text(
        re.compile(rf"证明号[:：]\s*{cert['certNo']}"), use_inner_text=True
    )
    expect(form.get_by_text("是否实际出口", exact=True)).to_be_visible()
    expect(form.get_by_text("是", exact=True)).to_be_visible()
    expect(form.get_by_text("否", exact=True)).to_be_visible()
    expect(steps.chosen(form)).to_have_count(0)
    expect(form.get_by_text("若报关单号为多个, 报关单号之间用英文分号分隔", exact=True)).to_be_visible()
    expect(form.get_by_placeholder(PLACEHOLDER, exact=True)).to_be_visible()
    expect(steps.button(dialog, "提交")).to_be_visible()
    expect(steps.button(dialog, "取消")).to_be_visible()


def test_no_clears_and_disables_the_numbers(dialog: Locator) -> None:
    form = steps.dialog_form(dialog)
    numbers = form.get_by_placeholder("请输入报关单号", exact=False)
    steps.fill_dialog(dialog, True, "900120260000000001")
    expect(steps.chosen(form)).to_have_text(steps.words("是"))
    steps.fill_dialog(dialog, False)
    expect(steps.chosen(form)).to_have_text(steps.words("否"))
    expect(numbers).to_be_disabled()
    expect(numbers).to_have_value("")


@pytest.mark.parametrize(
    ("exported", "text", "message"),
    [
        (None, "", "请选择是否实际出口"),
        (True, "", "请输入报关单号"),
        (True, "90012026000000001", "报关单号应为18位数字：90012026000000001"),
        (True, "5.10120240000012E+17", "报关单号只能包含半角数字：5.10120240000012E+17"),
        (True, "900120260000000001；900120260000000002", "多个报关单号请使用英文分号分隔"),
    ],
)
def test_invalid_input_keeps_the_dialog_open_with_the_message(
    dialog: Locator, portal: Portal, cert: dict[str, Any], exported: bool | None, text: str, message: str
) -> None:
    if exported is not None:
        steps.fill_dialog(dialog, exported, text)
    steps.submit_dialog(dialog)
    expect(steps.dialog_form(dialog).get_by_text(message, exact=True)).to_be_visible()
    expect(dialog).to_be_visible()
    assert portal.api.submissions(cert_no=cert["certNo"]) == []


def test_cancel_closes_without_recording(dialog: Locator, portal: Portal, cert: dict[str, Any]) -> None:
    steps.fill_dialog(dialog, False)
    steps.cancel_dialog(dialog)
    assert portal.api.submissions(cert_no=cert["certNo"]) == []
