"""A message put up with an answer but not shown yet (layer keeps a new layer `visibility: hidden` until
its stylesheet is ready), read by the robot's widget code in real Chromium: a table drawn empty with
登录已超时 is no answer (a certificate read as 未找到 would fail its row for good)."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright

from flows import widgets
from robot.core.errors import PassingError, SessionExpired
from robot.session.browser_path import LAUNCH_ARGS, find_browser

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral]

BUSY, EXPIRED = ("系统繁忙",), ("登录已超时",)
PAGE = """<html><body>
<div class="layui-layer layui-layer-dialog layui-layer-msg" id="old">登录已超时，请重新登录</div>
<table><tbody><tr><td colspan="3">没有找到匹配的记录</td></tr></tbody></table>
<script>
function answer(text, shown) {
  const box = document.createElement('div');
  box.className = 'layui-layer layui-layer-dialog layui-layer-msg';
  box.style.visibility = shown ? 'visible' : 'hidden';
  box.innerHTML = '<div class="layui-layer-content">' + text + '</div>';
  document.body.appendChild(box);
}
</script></body></html>"""


CASES = {  # (the message the answer put up, shown yet, read messages not shown yet) → what is raised
    "expired, not shown yet": (("登录已超时，请重新登录", False, True), SessionExpired),
    "busy, not shown yet": (("系统繁忙，请稍后重试", False, True), PassingError),
    "not shown yet, shown ones read": (("登录已超时，请重新登录", False, False), None),  # what the robot missed
    "expired, shown": (("登录已超时，请重新登录", True, False), SessionExpired),
    "another message": (("提交成功", False, True), None),
    "only the one seen before the query": ((None, False, True), None),
}


async def _raised_in_each() -> dict[str, type[Exception] | None]:
    raised: dict[str, type[Exception] | None] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        page = await browser.new_page()
        for name, ((text, shown, not_yet_shown), _) in CASES.items():
            await page.set_content(PAGE)
            await widgets.mark_seen(page)  # the message from before the query is not this answer's
            if text is not None:
                await page.evaluate("([t, s]) => answer(t, s)", [text, shown])
            raised[name] = None
            try:
                await widgets.raise_on_trouble([page], BUSY, EXPIRED, not_yet_shown=not_yet_shown)
            except (SessionExpired, PassingError) as error:
                raised[name] = type(error)
        await browser.close()
    return raised


def test_a_message_put_up_with_an_empty_answer_counts_before_it_shows() -> None:
    assert asyncio.run(_raised_in_each()) == {name: raised for name, (_, raised) in CASES.items()}
