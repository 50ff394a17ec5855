"""`python -m mock_portal.screenshots [OUT_DIR]`: regenerates docs/img/portal-*.png from a fresh mock portal.

Starts the portal (layui front end, seed 42, test API on), walks the guide in headless Chromium at
1000x650 by the words on screen (mock_portal.guide_steps) and saves one PNG per page, layer or
message. docs/portal.md shows them beside the guide's steps.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

from mock_portal import guide_steps as steps
from mock_portal.harness import DEMO_PASSWORD, Portal, start_portal, stop_portal
from robot.session.browser_path import LAUNCH_ARGS, find_browser

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
VIEWPORT = {"width": 1000, "height": 650}


def _shot(page: Page, out: Path, name: str) -> None:
    """Saves a screenshot as a 256-colour PNG (a third of the size, same look)."""
    page.wait_for_timeout(300)  # let layer/laydate animations end
    path = out / f"portal-{name}.png"
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"  {path.name}")


def _released(portal: Portal, count: int) -> str:
    rows = portal.declarations("exporter1")
    return ";".join([d["number"] for d in rows if d["flag"] == "0" and d["status"] != "未放行"][:count])


def walk(page: Page, portal: Portal, out: Path) -> None:
    """Every page, layer and message in guide order."""
    page.goto(portal.url + "/")
    expect(steps.button(page, "登录").first).to_be_visible()
    _shot(page, out, "00-front")
    steps.button(page, "登录").first.click()
    page.get_by_placeholder("请输入用户名").fill("exporter1")
    page.get_by_placeholder("请输入密码").fill(DEMO_PASSWORD)
    _shot(page, out, "01-login")
    page.get_by_placeholder("请输入验证码").fill("0000")
    steps.button(page, "登录").click()
    expect(page.get_by_text("验证码错误，请重新输入")).to_be_visible()
    _shot(page, out, "02-login-error")

    steps.login(page, portal.url, "exporter1", DEMO_PASSWORD, portal.captcha)
    expect(steps.layer(page, "通知公告")).to_be_visible()
    _shot(page, out, "03-notice")
    steps.close_notice(page)
    _shot(page, out, "04-portal")
    steps.button(page, "原产地").click()
    expect(steps.button(page, "海关原产地证书")).to_be_visible()
    _shot(page, out, "05-origin-apps")

    app = steps.open_app(page)
    app.set_viewport_size(VIEWPORT)
    app.get_by_text(steps.SUPPLEMENT_MENU, exact=True).click()
    expect(app.get_by_text("补录信息查询", exact=True)).to_be_visible()
    _shot(app, out, "06-menu")
    frame = steps.open_tab(app, "报关单号补录")
    expect(steps.button(frame, "海关原产地证书")).to_be_visible()
    _shot(app, out, "07-entry")
    frame = steps.open_search(app, "customs")
    _shot(app, out, "08-search")
    steps.field(frame, "证明创建日期").click()
    expect(frame.locator(".layui-laydate")).to_be_visible()
    _shot(app, out, "09-date-picker")
    frame.locator(".layui-laydate").get_by_text("清空", exact=True).click()

    cert = next(c for c in portal.certificates("exporter1") if c["approved"] and c["authority"] == "海关")
    row = steps.search(frame, cert["certNo"])
    dialog = steps.open_dialog(frame, row)
    form = steps.dialog_form(dialog)
    expect(form.get_by_text("是", exact=True)).to_be_visible()
    _shot(app, out, "10-dialog")
    steps.fill_dialog(dialog, True, _released(portal, 2))
    _shot(app, out, "11-dialog-filled")
    steps.fill_dialog(dialog, True, "5.10120240000012E+17")
    steps.submit_dialog(dialog)
    expect(form.get_by_text("报关单号只能包含半角数字", exact=False)).to_be_visible()
    _shot(app, out, "12-dialog-error")
    steps.fill_dialog(dialog, True, _released(portal, 2))
    steps.submit_dialog(dialog)
    expect(frame.get_by_text("提交成功", exact=True)).to_be_visible()
    _shot(app, out, "13-submitted")

    portal.wait_final(cert["certNo"])
    records = steps.open_tab(app, "补录信息查询")
    steps.wait_table(records)
    _shot(app, out, "14-records")
    steps.button(records.locator("tbody tr").first, "详情").click()
    detail = steps.layer(records, "补录详情")
    expect(steps.dialog_form(detail).get_by_text("回执说明")).to_be_visible()
    _shot(app, out, "15-record-detail")
    detail.get_by_text("关闭", exact=True).click()

    portal.chaos(session_lifetime=0.1)
    time.sleep(0.2)
    steps.button(records, "查询").click(no_wait_after=True)
    expect(records.get_by_text("登录已超时，请重新登录", exact=True)).to_be_visible()
    _shot(app, out, "16-expired")
    expect(app.get_by_placeholder("请输入密码")).to_be_visible()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    portal = start_portal("--test-api", "--seed", "42", "--receipt-delay", "1", frontend="layui")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            walk(context.new_page(), portal, out)
            browser.close()
    finally:
        stop_portal(portal)
    return 0


if __name__ == "__main__":
    sys.exit(main())
