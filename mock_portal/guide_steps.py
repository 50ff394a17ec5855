"""Playwright (sync) walks through the guide steps of the mock portal, for tests and the screenshot script.

These helpers drive the UI exactly like a person would, by the words on screen (link and button texts,
label texts, placeholders, dialog titles), so they work on both front ends (layui and accessible);
they are not the robot (see flows/). What they know of the widgets themselves (a layer is a
`.layui-layer` with a `.layui-layer-title`; a layer may hold its form in an iframe; the active tab's
page is the visible iframe) is what both front ends share with layui.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Frame, FrameLocator, Locator, Page, expect

AUTHORITY_LINKS: dict[str, str] = {"customs": "海关原产地证书", "ccpit": "贸促会原产地证书"}
SUPPLEMENT_MENU = "出口报关单补录"
Scope = Page | Frame | FrameLocator | Locator
_NOT_WORDS = r"^[^\u4e00-\u9fffA-Za-z0-9]*"  # leading spaces and icon-font glyphs


def words(text: str) -> re.Pattern[str]:
    """`text` tolerant of spaces and icon glyphs around and between its characters ("查 询", "<i></i>补录")."""
    return re.compile(_NOT_WORDS + r"\s*".join(map(re.escape, text)) + r"\s*$")


def button(scope: Scope, text: str) -> Locator:
    """A button or link reading `text` (spaces and icon glyphs tolerated)."""
    return scope.locator("a, button").filter(has_text=words(text))


def field(scope: Scope, label: str) -> Locator:
    """The input, select or textarea that follows the visible label text `label` (tied or not)."""
    return scope.locator(
        f"xpath=(//label[normalize-space(.)='{label}']/following::*[self::input[not(@type='hidden')] "
        f"or self::select or self::textarea])[1]")


def layer(scope: Scope, title: str) -> Locator:
    """The open layer (dialog) whose title reads `title`."""
    return scope.locator(".layui-layer").filter(has=scope.locator(".layui-layer-title", has_text=title))


def close_notice(page: Page) -> None:
    """Closes the 通知公告 layer when it is shown (a script opens it once the page has loaded)."""
    page.wait_for_load_state("load")
    notice = layer(page, "通知公告")
    if notice.count():
        notice.get_by_text("我知道了", exact=True).click()
        expect(notice).to_have_count(0)


def login(page: Page, base_url: str, user: str, password: str, captcha_for: Callable[[str], str]) -> None:
    """Steps 1–2: opens the portal address, finds 登录 when no login form is shown, fills the form by its
    placeholders; `captcha_for(sid)` gives the answer for the CASID cookie. Ends on the portal home."""
    page.goto(base_url + "/")
    password_box = page.get_by_placeholder("请输入密码")
    if not password_box.count():
        button(page, "登录").first.click()
    expect(password_box).to_be_visible()
    sid = next(c["value"] for c in page.context.cookies() if c["name"] == "CASID")
    page.get_by_placeholder("请输入用户名").fill(user)
    password_box.fill(password)
    page.get_by_placeholder("请输入验证码").fill(captcha_for(sid))
    button(page, "登录").click()
    expect(page.get_by_text("中央标准应用", exact=True)).to_be_visible()


def open_app(page: Page) -> Page:
    """Steps 3–4: 原产地, then 海关原产地证书 in a new window (notices closed); returns that window."""
    close_notice(page)
    button(page, "原产地").click()
    with page.context.expect_page() as new_page:
        button(page, "海关原产地证书").click()
    app = new_page.value
    app.wait_for_load_state("domcontentloaded")
    expect(app.get_by_text(SUPPLEMENT_MENU, exact=True)).to_be_visible()
    close_notice(app)
    return app


def current_page(app: Page) -> FrameLocator:
    """The page shown in the active tab (the one visible iframe of the application)."""
    return app.frame_locator("iframe >> visible=true")


def open_tab(app: Page, item: str) -> FrameLocator:
    """Steps 5–6: expands 出口报关单补录 when needed, clicks `item`; returns the tab's page."""
    link = app.get_by_text(item, exact=True).first
    if not link.is_visible():
        app.get_by_text(SUPPLEMENT_MENU, exact=True).click()
    link.click()
    frame = current_page(app)
    expect(frame.locator("body")).not_to_be_empty()
    return frame


def wait_table(frame: FrameLocator) -> None:
    """Until the result table shows rows (or 没有…数据) and no longer says it is loading."""
    expect(frame.locator("tbody tr").first).to_be_visible()
    expect(frame.get_by_text("正在努力地加载数据中")).to_be_hidden()
    expect(frame.locator("table[aria-busy='true']")).to_have_count(0)


def open_search(app: Page, authority: str) -> FrameLocator:
    """Step 7: 报关单号补录 → 海关/贸促会原产地证书; returns the page showing the search."""
    frame = open_tab(app, "报关单号补录")
    label = AUTHORITY_LINKS[authority]
    button(frame, label).click()
    expect(frame.get_by_text(f"{label}补录", exact=True)).to_be_visible()
    wait_table(frame)  # the page's own first query has answered
    return frame


def search(frame: FrameLocator, cert_no: str) -> Locator:
    """Step 8: 证明号 + 查询; returns the result row of that certificate."""
    field(frame, "证明号").fill(cert_no)
    button(frame, "查询").click()
    row = frame.locator("tbody tr").filter(has_text=cert_no)
    expect(row).to_have_count(1)
    wait_table(frame)
    return row


def open_dialog(frame: FrameLocator, row: Locator, clicks: int = 3) -> Locator:
    """Step 9: 【补录】 on the row (retrying, as the first click may do nothing); returns the layer."""
    dialog = layer(frame, "报关单号补录")
    for _ in range(clicks):
        button(row, "补录").click()
        try:
            dialog.wait_for(timeout=1500)
            return dialog
        except Exception:
            continue
    raise AssertionError("补录 dialog did not open")


def dialog_form(dialog: Locator) -> Locator | FrameLocator:
    """Where the dialog's fields are: the layer itself, or the page in its iframe (layer type 2)."""
    return dialog.frame_locator("iframe") if dialog.locator("iframe").count() else dialog


def fill_dialog(dialog: Locator, exported: bool, numbers: str = "") -> None:
    """Step 10: 是 with the numbers, or 否 (the radio clicked by its visible text)."""
    form = dialog_form(dialog)
    if exported:
        form.get_by_text("是", exact=True).click()
        form.get_by_placeholder("请输入报关单号", exact=False).fill(numbers)
    else:
        form.get_by_text("否", exact=True).click()


def submit_dialog(dialog: Locator) -> None:
    """Step 11: 【提交】 (the layer's own button)."""
    dialog.get_by_text("提交", exact=True).click()


def cancel_dialog(dialog: Locator) -> None:
    dialog.get_by_text("取消", exact=True).click()
    expect(dialog).to_have_count(0)
