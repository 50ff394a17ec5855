"""Screenshots of the web console for the README: `python docs/tools/console_shots.py` starts the mock
portal and `corobot serve` in a temporary folder, runs a small workbook through the console, and writes
docs/img/console-*.png (the captcha banner from a second serve with captcha_solver = console)."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from mock_portal.harness import TestApi  # noqa: E402
from robot.commands.demo import mock_portal  # noqa: E402
from robot.session.browser_path import LAUNCH_ARGS, find_browser  # noqa: E402
from tests.support.console import log_in_page, start_serve  # noqa: E402
from tests.support.workbooks import PortalData, save_rows  # noqa: E402

IMG = ROOT / "docs" / "img"


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(IMG / f"console-{name}.png"), full_page=True)


def workbook(url: str, path: Path, start: int, count: int, bad: bool) -> Path:
    data = PortalData(url)
    rows = [
        [c["authority"], c["certNo"], "是", n, "", f"订单{i}"]
        for i, (c, n) in enumerate(
            zip(data.customs[start : start + count], data.good[start : start + count], strict=True)
        )
    ]
    if bad:
        rows.insert(1, ["海关", "A000000000000000", "是", "5301202610001", "", "号码少了"])
        rows.insert(3, ["海关委员会", "A211026902339999", "否", "", "", ""])
    save_rows(path, rows)
    return path


def main() -> None:
    with mock_portal("--receipt-delay", "1") as url, tempfile.TemporaryDirectory() as temp, sync_playwright() as pw:
        work = Path(temp)
        browser = pw.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 760}, locale="zh-CN")
        served = start_serve(url, work / "a")
        try:
            page.goto(served.url + "/login")
            shot(page, "login")
            log_in_page(page, served)
            book = workbook(url, work / "十月补录清单.xlsx", 0, 8, bad=True)
            page.get_by_role("link", name="上传").click()
            with page.expect_file_chooser() as chooser:
                page.get_by_text("选择文件").click()
            chooser.value.set_files(book)
            expect(page.get_by_text("有效 8 行")).to_be_visible()
            shot(page, "upload")
            TestApi(url).chaos(latency_ms=600)
            page.get_by_role("button", name="确认运行有效的 8 行").click()
            expect(page.get_by_text(re.compile(r"当前行：第\d+行"))).to_be_visible(timeout=120_000)
            done = page.locator("div").filter(has=page.get_by_text("已完成", exact=True))
            expect(done.get_by_text(re.compile(r"^[3-6]$"))).to_be_visible(timeout=120_000)
            shot(page, "running")
            TestApi(url).chaos(latency_ms=0)
            ended = page.get_by_role("listitem").filter(has_text=re.compile(r"十月补录清单.*退出码"))
            expect(ended).to_be_visible(timeout=180_000)
            page.get_by_role("link", name="历史").click()
            shot(page, "history")
            page.get_by_role("link", name="查看各行").first.click()
            shot(page, "rows")
            page.get_by_role("link", name="待回执").click()
            shot(page, "pending")
            page.get_by_role("link", name="模板与待补录清单").click()
            shot(page, "template")
            page.get_by_role("link", name="设置").click()
            shot(page, "settings")
        finally:
            served.stop()
        helped = start_serve(url, work / "b", CO_CAPTCHA_SOLVER="console")
        try:
            log_in_page(page, helped)
            page.get_by_role("link", name="上传").click()
            with page.expect_file_chooser() as chooser:
                page.get_by_text("选择文件").click()
            chooser.value.set_files(workbook(url, work / "验证码.xlsx", 12, 1, bad=False))
            page.get_by_role("button", name="确认运行有效的 1 行").click()
            expect(page.get_by_role("alert")).to_be_visible(timeout=60_000)
            shot(page, "captcha")
        finally:
            helped.stop()
        browser.close()


if __name__ == "__main__":
    main()
