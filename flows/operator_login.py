"""Flow: the login an operator does by hand (`corobot login --headed`), and checking that a browser
context is logged in (`corobot login --cdp`, where the operator logged in in their own Chrome)."""

from __future__ import annotations

from loguru import logger
from playwright.async_api import BrowserContext

from flows.login import OPERATOR_WAIT_MS, open_start, reach_login, wait_for_operator
from flows.pages.login_page import LoginPage
from flows.profile import PortalProfile, load_profile


async def is_logged_in(context: BrowserContext, start_url: str, profile: PortalProfile | None = None) -> bool:
    """Opens the portal's address in a new tab of `context`: True unless the portal wants a login
    (a login form, or a 【登录】 link, shows)."""
    profile = profile or load_profile()
    page = await context.new_page()
    try:
        await open_start(page, start_url)
        return not await reach_login(page, profile)
    finally:
        await page.close()


async def operator_login(
    context: BrowserContext, start_url: str, username: str, profile: PortalProfile | None = None
) -> None:
    """Shows the login page (account filled in when known) and waits, up to 5 minutes, for the operator
    to type the password and the captcha and log in."""
    profile = profile or load_profile()
    page = await context.new_page()
    await open_start(page, start_url)
    if not await reach_login(page, profile):
        return
    if username:
        await LoginPage(page, profile).username.fill(username)
    logger.info("请在浏览器窗口中输入密码和验证码并点【登录】（最多等待 {} 分钟）", OPERATOR_WAIT_MS // 60_000)
    await wait_for_operator(page, profile)
    await page.close()
