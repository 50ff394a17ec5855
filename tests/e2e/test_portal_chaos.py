"""Chaos knobs seen from the browser: latency, 5xx answers, session expiry, dialogs failing to open."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import Portal
from tests.support.portal_wire import cert_list_path

pytestmark = pytest.mark.e2e
Chaos = Callable[..., dict[str, Any]]


def _cert(portal: Portal) -> dict[str, Any]:
    done = {s["certNo"] for s in portal.api.submissions()}
    return next(
        c
        for c in portal.api.certificates("exporter1")
        if c["approved"] and c["authority"] == "海关" and c["certNo"] not in done
    )


@pytest.fixture
def app(page: Page, login: Callable[..., None]) -> Page:
    login(page)
    return steps.open_app(page)


@pytest.fixture
def search(app: Page) -> FrameLocator:
    return steps.open_search(app, "customs")


def test_latency_delays_xhr(app: Page, search: FrameLocator, portal: Portal, chaos: Chaos) -> None:
    path = cert_list_path(portal)
    chaos(latency_ms=600, jitter_ms=100)
    started = time.monotonic()
    with app.expect_response(lambda r: path in r.url):
        steps.button(search, "查询").click()
    assert time.monotonic() - started >= 0.6


def test_server_error_shows_toast_and_keeps_dialog(
    app: Page, search: FrameLocator, portal: Portal, chaos: Chaos
) -> None:
    cert = _cert(portal)
    dialog = steps.open_dialog(search, steps.search(search, cert["certNo"]))
    steps.fill_dialog(dialog, False)
    chaos(error_rate=1.0)
    steps.submit_dialog(dialog)
    expect(search.get_by_text("系统繁忙，请稍后重试", exact=True)).to_be_visible()
    expect(dialog).to_be_visible()
    assert portal.api.submissions(cert_no=cert["certNo"]) == []
    chaos(error_rate=0.0)
    steps.submit_dialog(dialog)
    expect(dialog).to_have_count(0)
    assert len(portal.api.submissions(cert_no=cert["certNo"])) == 1


def test_server_error_on_page_load(page: Page, portal: Portal, chaos: Chaos) -> None:
    chaos(error_rate=1.0)
    response = page.goto(portal.url + "/")
    assert response is not None and response.status in (500, 502)


def test_expired_session_xhr_inside_iframe_sends_window_to_login(
    app: Page, search: FrameLocator, portal: Portal, chaos: Chaos
) -> None:
    chaos(session_lifetime=0.001)  # expired by the time of the next request
    steps.button(search, "查询").click()
    steps.logged_out(app)
    expect(app.get_by_text("登录已超时，请重新登录", exact=True)).to_be_visible()


def test_expired_session_iframe_page_sends_window_to_login(app: Page, chaos: Chaos) -> None:
    chaos(session_lifetime=0.001)
    steps.click_menu(app, "补录信息查询")
    steps.logged_out(app)
    expect(app.get_by_text("登录已超时，请重新登录", exact=True)).to_be_visible()


def test_dialog_fail_swallows_the_first_click(
    page: Page, login: Callable[..., None], portal: Portal, chaos: Chaos
) -> None:
    chaos(dialog_fail_rate=1.0)
    login(page)
    search = steps.open_search(steps.open_app(page), "customs")
    row = steps.search(search, _cert(portal)["certNo"])
    dialog = steps.layer(search, "报关单号补录")
    steps.button(row, "补录").click()  # the page opens its layer (or not) within the click
    expect(dialog).to_have_count(0)
    steps.button(row, "补录").click()
    expect(dialog).to_be_visible()


def test_chaos_settings_round_trip(portal: Portal, chaos: Chaos) -> None:
    settings = chaos(latency_ms=5, notice=False, receipt_delay=0.5)
    assert settings["latency_ms"] == 5 and settings["notice"] is False and settings["receipt_delay"] == 0.5
    assert portal.api.chaos() == settings
