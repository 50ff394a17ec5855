"""CAS login page and the 通知公告 pop-up, in Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import Portal

pytestmark = pytest.mark.e2e
MENU = "出口报关单补录"


def _fill(page: Page, portal: Portal, password: str, captcha: str | None = None) -> None:
    sid = steps.open_login(page, portal.url)
    steps.fill_login(page, "exporter1", password, captcha or portal.api.captcha(sid))


def test_wrong_captcha_is_reported(page: Page, portal: Portal) -> None:
    _fill(page, portal, "Corobot#2026", captcha="0000")
    expect(page.get_by_text("验证码错误，请重新输入", exact=True)).to_be_visible()


def test_wrong_password_is_reported(page: Page, portal: Portal) -> None:
    _fill(page, portal, "wrong-password")
    expect(page.get_by_text("用户名或密码错误", exact=True)).to_be_visible()


def test_clicking_the_captcha_issues_a_new_one(page: Page, portal: Portal) -> None:
    sid = steps.open_login(page, portal.url)
    answers = {portal.api.captcha(sid)}
    image = page.get_by_title("看不清？点击刷新")
    for _ in range(3):
        with page.expect_response(lambda r: r.request.resource_type == "image"):
            image.click()
        answers.add(portal.api.captcha(sid))
    assert len(answers) > 1


def test_notice_covers_the_portal_until_closed(page: Page, login: Callable[..., None]) -> None:
    login(page)
    notice = steps.layer(page, "通知公告")
    expect(notice).to_be_visible()
    steps.button(notice, "我知道了").click()
    expect(notice).to_have_count(0)
    expect(page.get_by_text("中央标准应用", exact=True)).to_be_visible()


def test_notice_shows_on_the_first_app_window_only(page: Page, login: Callable[..., None]) -> None:
    login(page)
    app = steps.open_app(page)  # closes the notice it finds there
    app.reload()
    expect(app.get_by_text(MENU, exact=True)).to_be_visible()
    expect(steps.layer(app, "通知公告")).to_have_count(0)


def test_notice_can_be_switched_off(page: Page, login: Callable[..., None], chaos: Callable[..., dict]) -> None:
    chaos(notice=False)
    login(page)
    expect(page.get_by_text("中央标准应用", exact=True)).to_be_visible()
    expect(steps.layer(page, "通知公告")).to_have_count(0)


def test_logout_returns_to_login(page: Page, login: Callable[..., None]) -> None:
    login(page)
    home = page.url
    steps.close_notice(page)
    steps.button(page, "退出").click()
    expect(steps.button(page, "登录").first).to_be_visible()
    page.goto(home)
    steps.logged_out(page)
