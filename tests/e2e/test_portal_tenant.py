"""Tenant isolation in the browser: exporter2 can neither see nor supplement exporter1's certificates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import Portal

pytestmark = pytest.mark.e2e

SUBMIT = """async ([certId]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const r = await fetch('/origin/api/supplement/submit', {method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
    body: JSON.stringify({certId, exported: '0', declarationNos: ''})});
  return {status: r.status, body: await r.json()};
}"""


@pytest.fixture
def foreign(portal: Portal) -> dict[str, Any]:
    return next(c for c in portal.api.certificates("exporter1") if c["approved"] and c["authority"] == "海关")


@pytest.fixture
def exporter2_search(page: Page, login: Callable[..., None]) -> FrameLocator:
    login(page, "exporter2")
    return steps.open_search(steps.open_app(page), "customs")


def test_search_does_not_list_another_enterprise(exporter2_search: FrameLocator, foreign: dict[str, Any]) -> None:
    exporter2_search.get_by_label("证明号").fill(foreign["certNo"])
    exporter2_search.get_by_role("button", name="查询").click()
    table = exporter2_search.get_by_role("table", name="查询结果")
    expect(table.get_by_role("cell")).to_have_text(["没有查询到数据"])
    expect(exporter2_search.get_by_text("共 0 条")).to_be_visible()


def test_direct_xhr_for_another_enterprise_is_refused(
    page: Page, exporter2_search: FrameLocator, portal: Portal, foreign: dict[str, Any]
) -> None:
    expect(exporter2_search.get_by_role("heading", name="海关原产地证书补录")).to_be_visible()
    frame = next(f for f in page.context.pages[-1].frames if "/origin/supplement/search" in f.url)
    answer = frame.evaluate(SUBMIT, [foreign["id"]])
    assert answer["status"] == 404 and answer["body"]["errCode"] == "102"
    assert portal.api.submissions(enterprise="exporter2", cert_no=foreign["certNo"]) == []
