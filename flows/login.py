"""Flow: log in (guide steps 1–2) from the portal's address as a user types it, with a captcha
solver and bounded attempts. When the address shows no login form, 【登录】 is followed from there."""

from __future__ import annotations

from loguru import logger
from playwright.async_api import Page

from flows import widgets
from flows.pages.login_page import SHOWS_LOGIN, LoginPage, captcha_word
from flows.profile import PortalProfile
from robot.core.captcha import CaptchaSolver
from robot.core.errors import LoginFailed
from robot.core.secrets import Secret

OPERATOR_WAIT_MS = 300_000
_SHOWS_NO_LOGIN = f"(word) => !({SHOWS_LOGIN})(word)"


async def open_start(page: Page, start_url: str) -> None:
    """Guide step 1: opens the portal's address."""
    await page.goto(start_url)


async def reach_login(page: Page, profile: PortalProfile) -> bool:
    """From the page shown, gets to the login form: True when it shows (following 【登录】 if
    needed), False when the portal shows no way to log in (already logged in)."""
    login = LoginPage(page, profile)
    if await login.shows():
        return True
    link = widgets.clickable(page, profile.word("登录"))
    if not await link.count():
        return False
    await link.click()
    await page.wait_for_function(SHOWS_LOGIN, arg=captcha_word(profile))
    return True


async def log_in(
    page: Page,
    start_url: str,
    username: str,
    password: Secret,
    solver: CaptchaSolver,
    attempts: int,
    profile: PortalProfile,
    operator_may_help: bool = False,
) -> None:
    """Logs in; wrong account/password fails at once, a wrong captcha is retried with a fresh one."""
    if not username or not password:
        raise LoginFailed("未配置门户账号或密码（CO_USERNAME / CO_PASSWORD 或 corobot.toml）")
    begin = getattr(solver, "begin_login", None)  # a solver counting the tries of one login
    if begin is not None:
        begin()
    login = LoginPage(page, profile)
    if not await login.shows():
        await open_start(page, start_url)
        if not await reach_login(page, profile):
            return
    wrong_captcha = widgets.any_of(profile.wrong_captcha)
    for attempt in range(1, attempts + 1):
        guess = await solver.solve(await login.captcha_png())
        if guess is None:
            logger.info("captcha unreadable (attempt {}/{}), refreshing", attempt, attempts)
            await login.refresh_captcha()
            continue
        error = await login.submit_form(username, password, guess)
        if error is None:
            logger.info("logged in as {}", username)
            return
        if not wrong_captcha.search(error):
            raise LoginFailed(f"登录失败：{error}")
        logger.info("captcha rejected (attempt {}/{})", attempt, attempts)
    if operator_may_help:
        logger.warning("captcha not solved automatically; waiting for the operator to log in in the window")
        await page.wait_for_function(_SHOWS_NO_LOGIN, arg=captcha_word(profile), timeout=OPERATOR_WAIT_MS)
        return
    raise LoginFailed(f"验证码连续 {attempts} 次识别失败，无法登录")


async def wait_for_operator(page: Page, profile: PortalProfile) -> None:
    """Waits (up to 5 minutes) until the login form is gone: the operator logged in by hand."""
    await page.wait_for_function(_SHOWS_NO_LOGIN, arg=captcha_word(profile), timeout=OPERATOR_WAIT_MS)
