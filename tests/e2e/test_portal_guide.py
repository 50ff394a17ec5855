"""The guide's 报关单号补录 steps in Chromium, for both authorities and both 是/否 answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mock_portal import guide_steps as steps
from mock_portal.harness import Portal

pytestmark = pytest.mark.e2e


def _unsupplemented(portal: Portal, user: str, authority: str) -> dict[str, Any]:
    done = {s["certNo"] for s in portal.api.submissions()}
    name = "海关" if authority == "customs" else "贸促会"
    return next(
        c for c in portal.api.certificates(user) if c["approved"] and c["authority"] == name and c["certNo"] not in done
    )


def _released(portal: Portal, user: str, count: int) -> list[str]:
    rows = portal.api.declarations(user)
    return [d["number"] for d in rows if d["flag"] == "0" and d["status"] in ("放行", "结关")][-count:]


@pytest.mark.parametrize("authority", ["customs", "ccpit"])
@pytest.mark.parametrize("exported", [True, False], ids=["是", "否"])
def test_supplement_reaches_success(
    page: Page, portal: Portal, login: Callable[..., None], authority: str, exported: bool
) -> None:
    cert = _unsupplemented(portal, "exporter1", authority)
    numbers = ";".join(_released(portal, "exporter1", 2)) if exported else ""
    login(page)
    app = steps.open_app(page)
    frame = steps.open_search(app, authority)
    row = steps.search(frame, cert["certNo"])
    expect(steps.column(row, "补录状态")).to_have_text("未补录")
    dialog = steps.open_dialog(frame, row)
    expect(steps.dialog_body(dialog)).to_contain_text(cert["certNo"])
    steps.fill_dialog(dialog, exported, numbers)
    steps.submit_dialog(dialog)
    expect(dialog).to_have_count(0)
    expect(frame.get_by_text("提交成功", exact=True)).to_be_visible()
    final = portal.api.wait_final(cert["certNo"])
    assert final["status"] == "海关接收成功"
    assert final["exported"] == ("是" if exported else "否")
    assert final["declarationNos"] == (numbers.split(";") if exported else [])
    assert final["authority"] == ("海关" if authority == "customs" else "贸促会")
