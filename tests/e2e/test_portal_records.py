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
DETAILS = (
    "证明号",
    "签证机构",
    "证明类型",
    "出口商代码",
    "出口商名称",
    "证明创建日期",
    "是否实际出口",
    "报关单号",
    "补录时间",
    "补录状态",
    "回执时间",
    "回执说明",
)


def _fresh_cert(portal: Portal, authority: str = "贸促会") -> dict[str, Any]:
    done = {s["certNo"] for s in portal.api.submissions()}
    return next(
        c
        for c in portal.api.certificates("exporter1")
        if c["approved"] and c["authority"] == authority and c["certNo"] not in done
    )


def _import_number(portal: Portal) -> str:
    return next(d["number"] for d in portal.api.declarations("exporter1") if d["flag"] == "1")


def test_rejected_supplement_shows_reason_in_details(page: Page, portal: Portal, login: Callable[..., None]) -> None:
    cert, number = _fresh_cert(portal), _import_number(portal)
    login(page)
    app = steps.open_app(page)
    frame = steps.open_search(app, "ccpit")
    dialog = steps.open_dialog(frame, steps.search(frame, cert["certNo"]))
    steps.fill_dialog(dialog, True, number)
    steps.submit_dialog(dialog)
    expect(dialog).to_have_count(0)
    assert portal.api.wait_final(cert["certNo"])["status"] == "海关接收失败"

    records = steps.open_tab(app, "补录信息查询")
    steps.choose(records, "签证机构", "贸促会")
    steps.field(records, "证明号").fill(cert["certNo"])
    steps.choose(records, "补录状态", "海关接收失败")
    steps.button(records, "查询").click()
    row = records.locator("tbody tr").filter(has_text=cert["certNo"])
    expect(row.locator("td")).to_have_text(
        [
            "1",
            cert["certNo"],
            "贸促会",
            cert["certType"],
            cert["exporterCode"],
            "是",
            number,
            TIME,
            "海关接收失败",
            steps.words("详情"),
        ]
    )
    steps.button(row, "详情").click()
    detail = steps.layer(records, "补录详情")
    content = steps.dialog_form(detail)
    for name in DETAILS:
        expect(content.get_by_text(name, exact=True)).to_be_visible()
    expect(content.get_by_text(f"报关单为进口报关单：{number}", exact=True)).to_be_visible()
    steps.button(detail, "关闭").click()
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
        steps.submit_dialog(dialog)
        expect(dialog).to_have_count(0)
    assert len(portal.api.submissions(cert_no=cert["certNo"])) == 2
    portal.api.wait_final(cert["certNo"])
    row = steps.search(frame, cert["certNo"])
    expect(steps.column(row, "补录状态")).to_have_text("海关接收成功")
