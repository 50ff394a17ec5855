"""Playwright (sync) walks through the guide steps of the mock portal, for tests and the screenshot script.

These helpers drive the UI exactly like a person would; they are not the robot (see flows/).
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import FrameLocator, Locator, Page, expect

AUTHORITY_LINKS: dict[str, str] = {"customs": "海关原产地证书", "ccpit": "贸促会原产地证书"}


def close_notice(page: Page) -> None:
    """Closes the 通知公告 layer when it is shown."""
    notice = page.get_by_role("dialog", name="通知公告")
    if notice.count():
        notice.get_by_role("button", name="我知道了").click()
        expect(notice).to_have_count(0)


def login(page: Page, base_url: str, user: str, password: str, captcha_for: Callable[[str], str]) -> None:
    """Steps 1–2: fills the CAS form; `captcha_for(sid)` gives the answer for the CASID cookie."""
    page.goto(base_url + "/cas/login")
    sid = next(c["value"] for c in page.context.cookies() if c["name"] == "CASID")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("textbox", name="验证码").fill(captcha_for(sid))
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base_url + "/portal")


def open_app(page: Page) -> Page:
    """Steps 3–4: 原产地, then 海关原产地证书 in a new window (notices closed); returns that window."""
    close_notice(page)
    page.get_by_role("link", name="原产地", exact=True).click()
    expect(page.get_by_role("heading", name="原产地", exact=True)).to_be_visible()
    with page.context.expect_page() as new_page:
        page.get_by_role("link", name="海关原产地证书", exact=True).click()
    app = new_page.value
    app.wait_for_load_state("domcontentloaded")
    expect(app.get_by_role("navigation", name="功能菜单")).to_be_visible()
    close_notice(app)
    return app


def open_tab(app: Page, item: str) -> FrameLocator:
    """Steps 5–6: expands 出口报关单补录 when needed, clicks `item`; returns the tab's iframe."""
    menu = app.get_by_role("navigation", name="功能菜单")
    link = menu.get_by_role("link", name=item, exact=True)
    if not link.is_visible():
        menu.get_by_text("出口报关单补录", exact=True).click()
    link.click()
    expect(app.locator(f'iframe[title="{item}"]')).to_be_visible()
    return app.frame_locator(f'iframe[title="{item}"]')


def open_search(app: Page, authority: str) -> FrameLocator:
    """Step 7: 报关单号补录 → 海关/贸促会原产地证书; returns the iframe showing the search page."""
    frame = open_tab(app, "报关单号补录")
    label = AUTHORITY_LINKS[authority]
    frame.get_by_role("link", name=label, exact=True).click()
    expect(frame.get_by_role("heading", name=f"{label}补录")).to_be_visible()
    table = frame.get_by_role("table", name="查询结果")
    expect(table.locator("tbody tr").first).to_be_visible()  # the page's own first query has answered
    expect(table).to_have_attribute("aria-busy", "false")
    return frame


def search(frame: FrameLocator, cert_no: str) -> Locator:
    """Step 8: 证明号 + 查询; returns the result row of that certificate."""
    frame.get_by_label("证明号").fill(cert_no)
    frame.get_by_role("button", name="查询").click()
    table = frame.get_by_role("table", name="查询结果")
    row = table.get_by_role("row").filter(has_text=cert_no)
    expect(row).to_have_count(1)
    return row


def open_dialog(frame: FrameLocator, row: Locator, clicks: int = 3) -> Locator:
    """Step 9: 【补录】 on the row (retrying, as the first click may do nothing); returns the dialog."""
    dialog = frame.get_by_role("dialog", name="报关单号补录")
    for _ in range(clicks):
        row.get_by_role("button", name="补录", exact=True).click()
        try:
            dialog.wait_for(timeout=1500)
            return dialog
        except Exception:
            continue
    raise AssertionError("补录 dialog did not open")


def fill_dialog(dialog: Locator, exported: bool, numbers: str = "") -> None:
    """Step 10: 是 with the numbers, or 否."""
    if exported:
        dialog.get_by_role("radio", name="是", exact=True).check()
        dialog.get_by_role("textbox", name="报关单号").fill(numbers)
    else:
        dialog.get_by_role("radio", name="否", exact=True).check()
