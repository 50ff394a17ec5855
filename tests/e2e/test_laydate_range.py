"""laydate's range picker (one input holding both days) set by the robot's widget code, in real Chromium,
on the vendored layui: the start is chosen in the left month and the end in the right one, whether the
two months are linked (`rangeLinked`) or each has its own header (layui's default). Found by `corobot
worklist --from --to` on a portal with one range input finding nothing: the end was never picked."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from flows import widgets
from robot.session.browser_path import LAUNCH_ARGS, find_browser

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral]

LAYUI = Path(__file__).resolve().parents[2] / "mock_portal" / "static" / "vendor" / "layui"
RANGES = [
    (date(2026, 7, 5), date(2026, 12, 1)),  # months apart, the end in the right month's past
    (date(2025, 3, 17), date(2025, 3, 17)),  # one day
    (date(2026, 11, 3), date(2026, 11, 20)),  # one month
    (date(2024, 1, 9), date(2026, 2, 1)),  # years apart: the headers' year lists
]


def _page(folder: Path, linked: bool) -> Path:
    options = "elem: '#d', range: true" + (", rangeLinked: true" if linked else "")
    page = folder / "range.html"
    page.write_text(
        f'<html><head><link rel="stylesheet" href="{LAYUI.as_uri()}/css/layui.css"></head><body>'
        '<input id="d" readonly class="layui-input" style="width:300px">'
        f'<script src="{LAYUI.as_uri()}/layui.js"></script>'
        f"<script>layui.use('laydate', function () {{ layui.laydate.render({{{options}}}); }});</script>"
        "</body></html>",
        encoding="utf-8",
    )
    return page


async def _set_each(page_file: Path) -> list[str]:
    shown = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        page = await browser.new_page()
        await page.goto(page_file.as_uri())
        field = page.locator("#d")
        for start, end in RANGES:
            await page.evaluate("document.getElementById('d').value = ''")
            await asyncio.wait_for(widgets.set_dates(page, field, field, start, end, 10_000), 90)
            shown.append(await field.input_value())
        await browser.close()
    return shown


@pytest.mark.parametrize("linked", [False, True], ids=["own-headers", "linked"])
def test_a_range_field_gets_both_days(tmp_path: Path, linked: bool) -> None:
    shown = asyncio.run(_set_each(_page(tmp_path, linked)))
    assert shown == [f"{start.isoformat()} - {end.isoformat()}" for start, end in RANGES]
