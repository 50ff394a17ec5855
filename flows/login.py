"""Flow: log in on the CAS page (guide steps 1–2) with a captcha solver and bounded attempts."""

from __future__ import annotations

from loguru import logger
from playwright.async_api import Page

from flows.pages.login_page import LoginPage
from robot.core.captcha import CaptchaSolver
from robot.core.errors import LoginFailed
from robot.core.secrets import Secret

OPERATOR_WAIT_MS = 300_000


async def log_in(
    page: Page,
    base_url: str,
    username: str,
    password: Secret,
    solver: CaptchaSolver,
    attempts: int,
    operator_may_help: bool = False,
) -> None:
    """Logs in; wrong account/password fails at once, a wrong captcha is retried with a fresh one."""
    if not username or not password:
        raise LoginFailed("未配置门户账号或密码（CO_USERNAME / CO_PASSWORD 或 corobot.toml）")
    begin = getattr(solver, "begin_login", None)  # a solver counting the tries of one login
    if begin is not None:
        begin()
    login = LoginPage(page)
    if not login.is_current():
        await login.open(base_url)
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
        if "验证码" not in error:
            raise LoginFailed(f"登录失败：{error}")
        logger.info("captcha rejected (attempt {}/{})", attempt, attempts)
    if operator_may_help:
        logger.warning("captcha not solved automatically; waiting for the operator to log in in the window")
        await page.wait_for_url(lambda url: LoginPage.PATH not in url, timeout=OPERATOR_WAIT_MS)
        return
    raise LoginFailed(f"验证码连续 {attempts} 次识别失败，无法登录")
