"""The robot tells the login page by the portal profile's word for 验证码 (`[words]`), not by a literal:
on the mock's login page worded as another portal might (校验码), the page is known with that word."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from playwright.async_api import async_playwright

from flows.login import open_start, reach_login
from flows.pages.login_page import LoginPage
from flows.profile import load_profile
from mock_portal.harness import Portal
from robot.session.browser_path import LAUNCH_ARGS, find_browser

pytestmark = pytest.mark.e2e
REWORD = """([from, to]) => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) n.nodeValue = n.nodeValue.split(from).join(to);
  document.querySelectorAll('input').forEach(i => { i.placeholder = (i.placeholder || '').split(from).join(to); });
}"""


async def _login_page_known(url: str) -> tuple[bool, bool]:
    default = load_profile()
    own = replace(default, words={**default.words, "验证码": "校验码"})
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        try:
            page = await browser.new_page()
            await open_start(page, url)
            assert await reach_login(page, default)
            await page.evaluate(REWORD, ["验证码", "校验码"])
            return await LoginPage(page, own).shows(), await LoginPage(page, default).shows()
        finally:
            await browser.close()


def test_the_login_page_is_known_by_the_profiles_word(portal: Portal) -> None:
    with_word, with_default = asyncio.run(_login_page_known(portal.url))
    assert with_word, "the login page worded 校验码 is not known with [words] 验证码 = 校验码"
    assert not with_default, "the login page worded 校验码 is known by the literal 验证码"
