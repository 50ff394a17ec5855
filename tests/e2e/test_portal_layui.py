"""The layui front end walked by visible words in Chromium: login by placeholders, tiles, menu, tab,
search, the 补录 iframe layer (cancelled); no role or aria-* attribute of our own anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import DEMO_PASSWORD, Portal, start_portal, stop_portal

pytestmark = pytest.mark.e2e
FRONTENDS = ("layui",)
"""This module checks the layui DOM itself (the accessible one carries ARIA by design)."""
OURS = [Path(__file__).resolve().parents[2] / "mock_portal" / p for p in ("templates/layui", "static/app")]
# Containers whose markup the libraries generate (they may carry ARIA of their own).
LIBRARY_WIDGETS = ".bootstrap-table, .fixed-table-pagination, .layui-layer, .layui-laydate, .layui-form-select"
ARIA_OUTSIDE_LIBRARIES = """(widgets) => Array.from(document.querySelectorAll('*'))
  .filter((e) => Array.from(e.attributes).some((a) => a.name === 'role' || a.name.startsWith('aria-')))
  .filter((e) => !e.closest(widgets))
  .map((e) => e.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def layui_portal() -> Iterator[Portal]:
    running = start_portal("--test-api", "--receipt-delay", "0", frontend="layui")
    yield running
    stop_portal(running)


@pytest.fixture
def app_page(browser: Browser, layui_portal: Portal) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    steps.login(page, layui_portal.url, "exporter1", DEMO_PASSWORD, layui_portal.captcha)
    yield page
    context.close()


def _no_aria_of_ours(page: Page) -> None:
    for frame in page.frames:
        assert frame.evaluate(ARIA_OUTSIDE_LIBRARIES, LIBRARY_WIDGETS) == [], frame.url


def test_our_markup_and_scripts_write_no_aria() -> None:
    for folder in OURS:
        for path in folder.rglob("*"):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                assert "aria-" not in text and "role=" not in text and '"role"' not in text, path


def test_front_page_leads_to_the_login_page(page: Page, layui_portal: Portal) -> None:
    page.goto(layui_portal.url + "/")
    expect(page.get_by_placeholder("请输入密码")).to_have_count(0)
    steps.button(page, "登录").first.click()
    expect(page.get_by_placeholder("请输入用户名")).to_be_visible()
    page.get_by_placeholder("请输入用户名").fill("exporter1")
    page.get_by_placeholder("请输入密码").fill("wrong")
    page.get_by_placeholder("请输入验证码").fill("0000")
    steps.button(page, "登录").click()
    expect(page.get_by_text("验证码错误，请重新输入")).to_be_visible()
    _no_aria_of_ours(page)


def test_guide_walk_to_the_supplement_layer_and_cancel(app_page: Page, layui_portal: Portal) -> None:
    expect(steps.layer(app_page, "通知公告")).to_be_visible()
    _no_aria_of_ours(app_page)
    app = steps.open_app(app_page)
    expect(app.get_by_text("西安秦川机电进出口有限公司（exporter1）")).to_be_visible()
    expect(app.get_by_text("首页", exact=True)).to_be_visible()
    expect(app.locator("ul.layui-nav-tree")).to_be_visible()

    frame = steps.open_search(app, "customs")
    headers = ("序号", "证明号", "证明类型", "出口商代码", "出口商名称", "证明创建日期", "审核状态", "补录状态", "操作")
    for header in headers:
        expect(frame.locator("thead th").filter(has_text=header).first).to_be_visible()
    expect(frame.get_by_text("显示第 1 到第 10 条记录", exact=False)).to_be_visible()
    expect(steps.field(frame, "证明创建日期")).to_have_attribute("readonly", "")

    cert = next(c for c in layui_portal.certificates("exporter1") if c["approved"] and c["authority"] == "海关")
    row = steps.search(frame, cert["certNo"])
    dialog = steps.open_dialog(frame, row)
    form = steps.dialog_form(dialog)
    expect(form.get_by_text(cert["certNo"])).to_be_visible()
    expect(form.get_by_placeholder("请输入报关单号, 若报关单号为多个, 报关单号之间用英文分号分隔")).to_be_visible()
    expect(form.get_by_text("若报关单号为多个, 报关单号之间用英文分号分隔", exact=True)).to_be_visible()
    steps.fill_dialog(dialog, True, "123")
    expect(dialog.get_by_text("提交", exact=True)).to_be_visible()
    _no_aria_of_ours(app)
    steps.cancel_dialog(dialog)
    assert layui_portal.submissions(cert_no=cert["certNo"]) == []


def test_busy_portal_keeps_the_layer_open_and_expiry_goes_to_login(app_page: Page, layui_portal: Portal) -> None:
    frame = steps.open_search(steps.open_app(app_page), "ccpit")
    cert = next(c for c in layui_portal.certificates("exporter1") if c["approved"] and c["authority"] == "贸促会")
    dialog = steps.open_dialog(frame, steps.search(frame, cert["certNo"]))
    steps.fill_dialog(dialog, False)
    try:
        layui_portal.chaos(error_rate=1.0)
        steps.submit_dialog(dialog)
        expect(frame.get_by_text("系统繁忙，请稍后重试", exact=True)).to_be_visible()
        expect(dialog).to_be_visible()
        assert layui_portal.submissions(cert_no=cert["certNo"]) == []
        layui_portal.chaos(error_rate=0.0, session_lifetime=0.001)
        steps.submit_dialog(dialog)
        expect(frame.get_by_text("登录已超时，请重新登录", exact=True)).to_be_visible()
        expect(dialog.page.get_by_placeholder("请输入密码")).to_be_visible()
    finally:
        layui_portal.chaos(error_rate=0.0, session_lifetime=0.0)
    assert layui_portal.submissions(cert_no=cert["certNo"]) == []
