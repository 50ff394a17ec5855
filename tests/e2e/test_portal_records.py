"""补录信息查询 (section 二): a rejected supplement's row and its 补录详情 layer, and resubmission."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import Portal

pytestmark = pytest.mark.e2e
TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def _fresh_cert(portal: Portal, authority: str = "贸促会") -> dict[str, Any]:
    done = {s["certNo"] for s in portal.api.submissions()}
    return next(c for c in portal.api.certificates("exporter1")
                if c["approved"] and c["authority"] == authority and c["certNo"] not in done)


def _import_number(portal: Portal) -> str:
    return next(d["number"] for d in portal.api.declarations("exporter1") if d["flag"] == "1")


def test_rejected_supplement_shows_reason_in_details(page: Page, portal: Portal, login: Callable[..., None]) -> None:
    cert, number = _fresh_cert(portal), _import_number(portal)
    login(page)
    app = steps.open_app(page)
    frame = steps.open_search(app, "ccpit")
    dialog = steps.open_dialog(frame, steps.search(frame, cert["certNo"]))
    steps.fill_dialog(dialog, True, number)
    dialog.get_by_role("button", name="提交").click()
    expect(dialog).to_have_count(0)
    assert portal.api.wait_final(cert["certNo"])["status"] == "海关接收失败"

    records = steps.open_tab(app, "补录信息查询")
    records.get_by_label("签证机构").select_option(label="贸促会")
    records.get_by_label("证明号").fill(cert["certNo"])
    records.get_by_label("补录状态").select_option(label="海关接收失败")
    records.get_by_role("button", name="查询").click()
    table = records.get_by_role("table", name="补录信息列表")
    row = table.get_by_role("row").filter(has_text=cert["certNo"])
    expect(row.get_by_role("cell")).to_have_text(
        ["1", cert["certNo"], "贸促会", cert["certType"], cert["exporterCode"], "是", number,
         TIME, "海关接收失败", "详情"])
    row.get_by_role("link", name="详情").click()
    detail = records.get_by_role("dialog", name="补录详情")
    content = detail.frame_locator("iframe")
    expect(content.locator("dt")).to_have_text(
        ["证明号", "签证机构", "证明类型", "出口商代码", "出口商名称", "证明创建日期", "是否实际出口", "报关单号",
         "补录时间", "补录状态", "回执时间", "回执说明"])
    expect(content.locator("dd").last).to_have_text(f"报关单为进口报关单：{number}")
    detail.get_by_role("button", name="关闭").click()
    expect(detail).to_have_count(0)


def test_search_table_shows_latest_status_and_allows_resubmission(
    page: Page, portal: Portal, login: Callable[..., None]
) -> None:
    cert = _fresh_cert(portal, "海关")
    login(page)
    frame = steps.open_search(steps.open_app(page), "customs")
    for _ in range(2):
        dialog = steps.open_dialog(frame, steps.search(frame, cert["certNo"]))
        steps.fill_dialog(dialog, False)
        dialog.get_by_role("button", name="提交").click()
        expect(dialog).to_have_count(0)
    assert len(portal.api.submissions(cert_no=cert["certNo"])) == 2
    portal.api.wait_final(cert["certNo"])
    row = steps.search(frame, cert["certNo"])
    expect(row.get_by_role("cell").nth(7)).to_have_text("海关接收成功")
