"""`python -m mock_portal.screenshots [OUT_DIR]`: regenerates docs/img/portal-*.png from a fresh mock portal.

Starts the portal (seed 42, test API on), walks the guide in headless Chromium at 1000x650 and
saves one PNG per page or dialog. docs/portal.md shows them beside the guide's steps.
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
    for frame in page.frames:
        frame.evaluate("document.querySelectorAll('.table-wrap').forEach(w => { w.scrollLeft = 0; })")
    page.wait_for_timeout(150)
    path = out / f"portal-{name}.png"
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"  {path.name}")


def _released(portal: Portal, count: int) -> str:
    rows = portal.declarations("exporter1")
    return ";".join([d["number"] for d in rows if d["flag"] == "0" and d["status"] != "未放行"][:count])


def walk(page: Page, portal: Portal, out: Path) -> None:
    """Every page and dialog in guide order."""
    page.goto(portal.url + "/cas/login")
    page.get_by_label("用户名").fill("exporter1")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    expect(page.get_by_role("img", name="验证码")).to_be_visible()
    _shot(page, out, "01-login")
    page.get_by_role("textbox", name="验证码").fill("0000")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()
    _shot(page, out, "02-login-error")

    steps.login(page, portal.url, "exporter1", DEMO_PASSWORD, portal.captcha)
    _shot(page, out, "03-notice")
    steps.close_notice(page)
    _shot(page, out, "04-portal")
    page.get_by_role("link", name="原产地", exact=True).click()
    _shot(page, out, "05-origin-apps")

    page.goto(portal.url + "/portal")
    app = steps.open_app(page)
    app.set_viewport_size(VIEWPORT)
    menu = app.get_by_role("navigation", name="功能菜单")
    menu.get_by_text("出口报关单补录", exact=True).click()
    _shot(app, out, "06-menu")
    frame = steps.open_tab(app, "报关单号补录")
    expect(frame.get_by_role("link", name="海关原产地证书")).to_be_visible()
    _shot(app, out, "07-entry")
    frame = steps.open_search(app, "customs")
    _shot(app, out, "08-search")
    frame.get_by_label("证明创建日期起").click()
    _shot(app, out, "09-date-picker")
    frame.get_by_role("dialog", name="选择日期").get_by_role("button", name="清空").click()

    cert = next(c for c in portal.certificates("exporter1") if c["approved"] and c["authority"] == "海关")
    row = steps.search(frame, cert["certNo"])
    dialog = steps.open_dialog(frame, row)
    _shot(app, out, "10-dialog")
    steps.fill_dialog(dialog, True, _released(portal, 2))
    _shot(app, out, "11-dialog-filled")
    steps.fill_dialog(dialog, True, "5.10120240000012E+17")
    dialog.get_by_role("button", name="提交").click()
    expect(dialog.get_by_role("alert")).not_to_be_empty()
    _shot(app, out, "12-dialog-error")
    steps.fill_dialog(dialog, True, _released(portal, 2))
    dialog.get_by_role("button", name="提交").click()
    expect(frame.get_by_role("status")).to_be_visible()
    _shot(app, out, "13-submitted")

    portal.wait_final(cert["certNo"])
    records = steps.open_tab(app, "补录信息查询")
    expect(records.get_by_role("table", name="补录信息列表").locator("tbody tr").first).to_be_visible()
    _shot(app, out, "14-records")
    records.get_by_role("table", name="补录信息列表").get_by_role("link", name="详情").first.click()
    detail = records.get_by_role("dialog", name="补录详情")
    expect(detail.frame_locator("iframe").locator("dl")).to_be_visible()
    _shot(app, out, "15-record-detail")
    detail.get_by_role("button", name="关闭").click()

    portal.chaos(session_lifetime=0.1)
    time.sleep(0.2)
    records.get_by_role("button", name="查询").click(no_wait_after=True)
    expect(app).to_have_url(portal.url + "/cas/login?expired=1")
    _shot(app, out, "16-expired")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    portal = start_portal("--test-api", "--seed", "42", "--receipt-delay", "1")
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
