"""CAS login page and the 通知公告 pop-up, in Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import Portal

pytestmark = pytest.mark.e2e


def _fill(page: Page, portal: Portal, password: str, captcha: str | None = None) -> None:
    page.goto(portal.url + "/cas/login")
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()
    sid = next(c["value"] for c in page.context.cookies() if c["name"] == "CASID")
    page.get_by_label("用户名").fill("exporter1")
    page.get_by_label("密码").fill(password)
    page.get_by_role("textbox", name="验证码").fill(captcha or portal.api.captcha(sid))
    page.get_by_role("button", name="登录").click()


def test_wrong_captcha_is_reported(page: Page, portal: Portal) -> None:
    _fill(page, portal, "Corobot#2026", captcha="0000")
    expect(page.get_by_role("alert")).to_have_text("验证码错误，请重新输入")


def test_wrong_password_is_reported(page: Page, portal: Portal) -> None:
    _fill(page, portal, "wrong-password")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")


def test_clicking_the_captcha_issues_a_new_one(page: Page, portal: Portal) -> None:
    page.goto(portal.url + "/cas/login")
    sid = next(c["value"] for c in page.context.cookies() if c["name"] == "CASID")
    answers = {portal.api.captcha(sid)}
    image = page.get_by_role("img", name="验证码")
    expect(image).to_have_attribute("title", "看不清？点击刷新")
    for _ in range(3):
        with page.expect_response(lambda r: "/cas/captcha" in r.url):
            image.click()
        answers.add(portal.api.captcha(sid))
    assert len(answers) > 1


def test_notice_covers_the_portal_until_closed(page: Page, login: Callable[..., None]) -> None:
    login(page)
    notice = page.get_by_role("dialog", name="通知公告")
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="我知道了").click()
    expect(notice).to_have_count(0)
    expect(page.get_by_role("heading", name="中央标准应用")).to_be_visible()


def test_notice_shows_on_the_first_app_window_only(page: Page, login: Callable[..., None]) -> None:
    login(page)
    app = steps.open_app(page)  # closes the notice it finds there
    app.reload()
    expect(app.get_by_role("navigation", name="功能菜单")).to_be_visible()
    expect(app.get_by_role("dialog", name="通知公告")).to_have_count(0)


def test_notice_can_be_switched_off(page: Page, login: Callable[..., None], chaos: Callable[..., dict]) -> None:
    chaos(notice=False)
    login(page)
    expect(page.get_by_role("heading", name="中央标准应用")).to_be_visible()
    expect(page.get_by_role("dialog", name="通知公告")).to_have_count(0)


def test_logout_returns_to_login(page: Page, login: Callable[..., None], portal: Portal) -> None:
    login(page)
    page.goto(portal.url + "/cas/logout")
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()
    page.goto(portal.url + "/portal")
    expect(page).to_have_url(portal.url + "/cas/login")
