"""The enterprise check after login: does the portal's page header show the expected enterprise?

Reads the visible text of the page's top (the header where the portal shows the logged-in enterprise
and account, e.g. 西安秦川机电进出口有限公司（exporter1）) with a plain text search: no ids, classes
or roles, so that any front end naming the enterprise in its header passes.
"""

from __future__ import annotations

import re

from playwright.async_api import Page

from robot.core.errors import LoginFailed

HEADER_LINES = 8
"""How many lines of the page's visible text count as its header."""
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_ENTERPRISE_WORDS = ("公司", "企业", "厂", "集团", "中心")


def _squash(text: str) -> str:
    return _SPACES.sub("", text)


async def header_lines(page: Page, timeout_ms: float) -> list[str]:
    """The first lines of the page's visible text."""
    text = await page.locator("body").inner_text(timeout=timeout_ms)
    return [line.strip() for line in text.splitlines() if line.strip()][:HEADER_LINES]


async def shown_enterprise(page: Page, timeout_ms: float) -> str:
    """The header line that names an enterprise (for messages), or "" when none does."""
    return next(
        (line for line in await header_lines(page, timeout_ms) if any(word in line for word in _ENTERPRISE_WORDS)), ""
    )


async def check_enterprise(page: Page, expected: str, timeout_ms: float) -> None:
    """Raises LoginFailed unless the page header shows `expected` (spaces ignored)."""
    lines = await header_lines(page, timeout_ms)
    if any(_squash(expected) in _squash(line) for line in lines):
        return
    shown = await shown_enterprise(page, timeout_ms)
    raise LoginFailed(
        f"登录后门户显示的企业不是预期的“{expected}”（页面显示：{shown or '未显示企业名称'}），"
        "拒绝以此账号处理；请检查该账号的 username 与 enterprise 设置"
    )
