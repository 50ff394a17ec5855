"""Playwright (sync) walks through the guide steps of the mock portal, for tests and the screenshot script.

These helpers drive the UI exactly like a person would, by the words on screen (link and button texts,
label texts, placeholders, dialog titles), so they work on both front ends (layui and accessible);
they are not the robot (see flows/). What they know of the widgets themselves (a layer is a
`.layui-layer` with a `.layui-layer-title`; a layer may hold its form in an iframe; the active tab's
page is the visible iframe) is what both front ends share with layui; where the front ends draw a
widget differently (a select or radio drawn by layui form, laydate's `lay-ymd` day cells next to the
accessible picker's 年/月 selects), the helper below knows both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from playwright.sync_api import Frame, FrameLocator, Locator, Page, expect

AUTHORITY_LINKS: dict[str, str] = {"customs": "海关原产地证书", "ccpit": "贸促会原产地证书"}
SUPPLEMENT_MENU = "出口报关单补录"
Scope = Page | Frame | FrameLocator | Locator
_NOT_WORDS = r"^[^\u4e00-\u9fffA-Za-z0-9]*"  # leading spaces and icon-font glyphs
NO_DATA = re.compile("没有查询到数据|没有找到匹配的记录")  # an empty result table (accessible | bootstrap-table)


def words(text: str) -> re.Pattern[str]:
    """`text` tolerant of spaces and icon glyphs around and between its characters ("查 询", "<i></i>补录")."""
    return re.compile(_NOT_WORDS + r"\s*".join(map(re.escape, text)) + r"\s*$")


def button(scope: Scope, text: str) -> Locator:
    """A button or link reading `text` (spaces and icon glyphs tolerated)."""
    return scope.locator("a, button").filter(has_text=words(text))


def field(scope: Scope, label: str, nth: int = 1) -> Locator:
    """The input, select or textarea that follows the visible label text `label` (tied or not);
    `nth=2`: the second one (the 止 of a date range under one label)."""
    return scope.locator(
        f"xpath=(//label[normalize-space(.)='{label}']/following::*[self::input[not(@type='hidden')] "
        f"or self::select or self::textarea])[{nth}]"
    )


def choose(scope: Scope, label: str, option: str) -> None:
    """Chooses `option` in the select after `label`: the native select, or the list layui form draws in
    its place (the select hidden, a `dd` per option)."""
    select = field(scope, label)
    if select.is_visible():
        select.select_option(label=option)
        return
    drawn = select.locator("xpath=following-sibling::*[1]")
    drawn.click()
    drawn.locator("dd").filter(has_text=words(option)).click()
    expect(select.locator("option:checked")).to_have_text(option)


def date_range(scope: Scope, label: str) -> tuple[Locator, Locator]:
    """The two date inputs of `label`: after the labels `<label>起` and `<label>止`, or both after `label`."""
    start = field(scope, label + "起")
    if start.count():
        return start, field(scope, label + "止")
    return field(scope, label), field(scope, label, 2)


def _picker(scope: Scope) -> Locator:
    """The open date picker: the box around its visible 清空 that holds the days (laydate's `lay-ymd`
    cells, or the accessible picker's 年/月 selects)."""
    clear = scope.get_by_text("清空", exact=True).filter(visible=True)
    return clear.locator("xpath=ancestor::div[.//td[@lay-ymd] or .//select][1]")


def pick_date(scope: Scope, control: Locator, day: date | None) -> None:
    """Opens the picker of the read-only `control` and picks `day` (None: 清空); the picker closes."""
    control.click()
    panel = _picker(scope)
    if day is None:
        panel.get_by_text("清空", exact=True).click()
    elif panel.locator("select").count():  # the accessible picker: year and month selects, day buttons
        panel.locator("select").nth(0).select_option(str(day.year))
        panel.locator("select").nth(1).select_option(str(day.month))
        panel.locator("button").filter(has_text=re.compile(rf"^\s*{day.day}\s*$")).click()
    else:  # laydate: turn months (‹ ›, years « ») until the day's cell shows
        cell = panel.locator(f'td[lay-ymd="{day.year}-{day.month}-{day.day}"]')
        for _ in range(240):
            if cell.count():
                break
            year = int(panel.locator("[lay-type=year]").inner_text().rstrip("年"))
            month = int(panel.locator("[lay-type=month]").inner_text().rstrip("月"))
            months = (day.year - year) * 12 + day.month - month
            ahead = "next" if months > 0 else "prev"
            panel.locator(f".laydate-{ahead}-{'y' if abs(months) >= 12 else 'm'}").click()
        cell.click()
        if panel.is_visible():
            panel.get_by_text("确定", exact=True).click()
    expect(panel).to_have_count(0)


def pick_today(scope: Scope, control: Locator) -> None:
    """Opens the picker of `control` and takes today (今天, or laydate's 现在)."""
    control.click()
    panel = _picker(scope)
    panel.get_by_text(re.compile(r"^\s*(今天|现在)\s*$")).click()
    expect(panel).to_have_count(0)


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


def open_login(page: Page, base_url: str) -> str:
    """Step 1: opens the portal address and finds 登录 when no login form is shown; returns the login
    page's session id (the CASID cookie, which the test API's captcha answer is keyed by)."""
    page.goto(base_url + "/")
    password_box = page.get_by_placeholder("请输入密码")
    if not password_box.count():
        button(page, "登录").first.click()
    expect(password_box).to_be_visible()
    return next(c["value"] for c in page.context.cookies() if c["name"] == "CASID")


def fill_login(page: Page, user: str, password: str, captcha: str) -> None:
    """Step 2: the login form, by its placeholders, and 【登录】."""
    page.get_by_placeholder("请输入用户名").fill(user)
    page.get_by_placeholder("请输入密码").fill(password)
    page.get_by_placeholder("请输入验证码").fill(captcha)
    button(page, "登录").click()


def login(page: Page, base_url: str, user: str, password: str, captcha_for: Callable[[str], str]) -> None:
    """Steps 1–2: `captcha_for(sid)` gives the answer for the CASID cookie. Ends on the portal home."""
    sid = open_login(page, base_url)
    fill_login(page, user, password, captcha_for(sid))
    expect(page.get_by_text("中央标准应用", exact=True)).to_be_visible()


def logged_out(page: Page) -> None:
    """The page shows the login form (a password field and 验证码), as after an expired session."""
    expect(page.get_by_placeholder("请输入密码")).to_be_visible()
    expect(page.get_by_placeholder("请输入验证码")).to_be_visible()


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


def click_menu(app: Page, item: str) -> None:
    """Steps 5–6: expands 出口报关单补录 when needed and clicks the menu entry `item`."""
    link = app.get_by_text(item, exact=True).first
    if not link.is_visible():
        app.get_by_text(SUPPLEMENT_MENU, exact=True).click()
    link.click()


def open_tab(app: Page, item: str) -> FrameLocator:
    """Steps 5–6: the menu entry `item`; returns the tab's page."""
    click_menu(app, item)
    frame = current_page(app)
    expect(frame.locator("body")).not_to_be_empty()
    return frame


def wait_table(frame: FrameLocator) -> None:
    """Until the result table shows rows (or 没有…数据) and no longer says it is loading."""
    expect(frame.locator("tbody tr").first).to_be_visible()
    expect(frame.get_by_text("正在努力地加载数据中")).to_be_hidden()
    expect(frame.locator("table[aria-busy='true']")).to_have_count(0)


def column(row: Locator, header: str) -> Locator:
    """The cell of the result row `row` under the table header reading `header`."""
    heads = row.locator("xpath=ancestor::table[1]/thead//th").all_text_contents()
    return row.locator("td").nth([re.sub(r"\s+", "", h) for h in heads].index(header))


def total_shown(scope: Scope, total: int) -> Locator:
    """The pager's count of results (`共 N 条`, or bootstrap-table's `…总共 N 条记录`)."""
    return scope.get_by_text(re.compile(rf"共\s*{total}\s*条"))


def turn_page(scope: Scope, forward: bool = True) -> None:
    """The pager's 下一页 (›) or 上一页 (‹); then waits for the table."""
    text, arrow = ("下一页", "›") if forward else ("上一页", "‹")
    button(scope, text).or_(button(scope, arrow)).first.click()
    wait_table(scope)


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


def dialog_body(dialog: Locator) -> Locator:
    """What the dialog shows inside: its content, or the body of the page in its iframe."""
    content = dialog.locator(".layui-layer-content")
    return content.frame_locator("iframe").locator("body") if content.locator("iframe").count() else content


def chosen(form: Locator | FrameLocator) -> Locator:
    """The radios shown as chosen (layui form's drawn radio, or the label of a checked native one)."""
    return form.locator(".layui-form-radioed, label:has(> input[type=radio]:checked)")


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
