"""End to end: the web console of `corobot serve` in real Chromium against the real service and the mock
portal — log in, upload (invalid rows listed, valid rows confirmed), live progress to the end, the report
downloaded and opened, the same file again, a run stopped and resumed, the captcha typed in the console."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from mock_portal.harness import TestApi
from robot.commands.demo import mock_portal
from tests.support.console import Served, log_in_page, start_serve
from tests.support.watch import sample, submitted
from tests.support.workbooks import PortalData, save_rows

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral, pytest.mark.timeout(900)]  # see tests/e2e/conftest.py
RUN_END_MS = 600_000
"""A run of a few rows, waited for on the page: minutes when the machine is busy (a guard, not a target)."""


@pytest.fixture(scope="module")
def portal_url(frontend: str) -> Iterator[str]:
    with mock_portal("--receipt-delay", "1") as url:
        yield url


@pytest.fixture(scope="module")
def served(portal_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    running = start_serve(portal_url, tmp_path_factory.mktemp("serve"))
    yield running
    assert running.stop() in (0, 5)


def finished(page: Page, pattern: str) -> Locator:
    """The entry of 最近完成 on 运行中 matching `pattern`."""
    return page.get_by_role("listitem").filter(has_text=re.compile(pattern))


def upload(page: Page, path: Path) -> None:
    page.get_by_role("link", name="上传").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_text("选择文件").click()
    chooser.value.set_files(path)


def test_upload_check_confirm_progress_history_download(
    served: Served, portal_url: str, page: Page, tmp_path: Path
) -> None:
    data = PortalData(portal_url)
    certs = data.customs[:3]
    rows = [[c["authority"], c["certNo"], "是", n, "", ""] for c, n in zip(certs, data.good[:3], strict=True)]
    rows.insert(1, ["海关", "A000000000000000", "是", "12345", "", "错号"])
    workbook = tmp_path / "控制台上传.xlsx"
    save_rows(workbook, rows)
    log_in_page(page, served)
    upload(page, workbook)
    card = page.locator("article").filter(has_text="控制台上传.xlsx")
    expect(card).to_contain_text("有效 3 行，无效 1 行")
    rejected = card.get_by_role("row").filter(has_text="12345")
    expect(rejected).to_contain_text("报关单号")
    expect(rejected.get_by_role("cell").first).to_have_text("3")
    card.get_by_role("button", name="确认运行有效的 3 行").click()
    expect(page.get_by_text("正在处理：上传的 控制台上传.xlsx")).to_be_visible()
    expect(finished(page, r"上传的 控制台上传\.xlsx.*退出码 1")).to_be_visible(timeout=RUN_END_MS)
    assert all(submitted(portal_url)[c["certNo"]] == 1 for c in certs)

    page.get_by_role("link", name="历史").click()
    run = page.get_by_role("row").filter(has_text="控制台上传.xlsx")
    expect(run).to_contain_text("上传：ops")
    expect(run).to_contain_text("成功 3")
    with page.expect_download() as download:
        run.get_by_role("link", name="结果文件").click()
    report = tmp_path / download.value.suggested_filename
    assert report.name.startswith("控制台上传-结果-") and report.suffix == ".xlsx"
    download.value.save_as(report)
    assert "控制台下载：ops 下载了运行" in (served.workdir / "state" / "watch.log").read_text(encoding="utf-8")
    sheet = load_workbook(report, read_only=True)["明细"]
    table = list(sheet.iter_rows(values_only=True))
    results = [r[table[0].index("处理结果")] for r in table[1:]]
    assert sorted(results) == ["成功", "成功", "成功", "无效"]
    run.get_by_role("link", name="查看各行").click()
    expect(page.get_by_role("cell", name="海关接收成功").first).to_be_visible()

    upload(page, workbook)  # the same content again
    again = page.locator("article").filter(has_text="内容完全相同").first
    expect(again).to_be_visible()
    expect(again.get_by_role("button", name=re.compile("确认运行"))).to_have_count(0)


def test_stop_a_run_then_resume(served: Served, portal_url: str, page: Page, tmp_path: Path) -> None:
    api = TestApi(portal_url)
    certs = sample(portal_url, tmp_path / "停止.xlsx", 10, 6)
    api.chaos(latency_ms=700)
    try:
        log_in_page(page, served)
        upload(page, tmp_path / "停止.xlsx")
        page.get_by_role("button", name="确认运行有效的 6 行").click()
        expect(page.get_by_text(re.compile(r"当前行：第\d+行"))).to_be_visible(timeout=RUN_END_MS)
        page.get_by_role("button", name="停止").click()
        expect(page.get_by_text("队列已暂停")).to_be_visible(timeout=180_000)
        expect(finished(page, r"上传的 停止\.xlsx.*退出码 5")).to_be_visible()
    finally:
        api.chaos(latency_ms=0)
    assert (served.workdir / "inbox" / "processing" / "停止.xlsx").exists()
    page.get_by_role("button", name="继续").click()
    expect(finished(page, r"继续处理被停止的文件.*退出码 0")).to_be_visible(timeout=RUN_END_MS)
    assert (served.workdir / "inbox" / "done" / "停止.xlsx").exists()
    assert all(submitted(portal_url)[c] == 1 for c in certs)


def test_captcha_typed_in_the_console(portal_url: str, page: Page, tmp_path: Path) -> None:
    helped = start_serve(portal_url, tmp_path, CO_CAPTCHA_SOLVER="console")
    try:
        certs = sample(portal_url, tmp_path / "验证码.xlsx", 16, 1)
        log_in_page(page, helped)
        upload(page, tmp_path / "验证码.xlsx")
        page.get_by_role("button", name="确认运行有效的 1 行").click()
        banner = page.get_by_role("alert").filter(has_text="需要人工输入验证码")
        expect(banner).to_be_visible(timeout=180_000)
        page.get_by_role("link", name="历史").click()  # the banner is on every page
        expect(banner).to_be_visible()
        expect(banner.get_by_role("img", name="验证码图片")).to_be_visible()
        banner.get_by_label("验证码").fill(TestApi(portal_url).captcha())
        banner.get_by_role("button", name="提交验证码").click()
        page.get_by_role("link", name="运行中").click()
        expect(finished(page, r"上传的 验证码\.xlsx.*退出码 0")).to_be_visible(timeout=RUN_END_MS)
        assert submitted(portal_url)[certs[0]] == 1
    finally:
        assert helped.stop() == 0
