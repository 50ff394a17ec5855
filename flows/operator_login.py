"""Flow: the login an operator does by hand (`corobot login --headed`), and checking that a browser
context is logged in (`corobot login --cdp`, where the operator logged in in their own Chrome)."""

from __future__ import annotations

from loguru import logger
from playwright.async_api import BrowserContext

from flows.login import OPERATOR_WAIT_MS
from flows.pages.login_page import LoginPage
from flows.pages.portal_home import PortalHome


async def is_logged_in(context: BrowserContext, base_url: str) -> bool:
    """Opens the portal home in a new tab of `context`: True unless the portal shows its login page."""
    page = await context.new_page()
    try:
        await PortalHome(page).open(base_url)
        return not LoginPage(page).is_current()
    finally:
        await page.close()


async def operator_login(context: BrowserContext, base_url: str, username: str) -> None:
    """Shows the login page (account filled in when known) and waits, up to 5 minutes, for the operator
    to type the password and the captcha and log in."""
    page = await context.new_page()
    await PortalHome(page).open(base_url)
    login = LoginPage(page)
    if not login.is_current():
        return
    if username:
        await login.username.fill(username)
    logger.info("请在浏览器窗口中输入密码和验证码并点【登录】（最多等待 {} 分钟）", OPERATOR_WAIT_MS // 60_000)
    await page.wait_for_url(lambda url: LoginPage.PATH not in url, timeout=OPERATOR_WAIT_MS)
    await page.close()
