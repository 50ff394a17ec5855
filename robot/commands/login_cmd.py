"""`corobot login [--headed] [--cdp URL]`: log in once and save the login for unattended runs.

- plain: the robot logs in itself (captcha by OCR) — a quick check of account and captcha reading;
- --headed: a browser window opens on the login page and the operator logs in by hand, captcha included;
- --cdp URL: the operator started Chrome with --remote-debugging-port and logged in there (also by
  card login 卡介质); the robot copies that login.
The login is saved as Playwright storage state in `<state_dir>/session.json` (mode 0600), which
`run` and `watch` start from; when the portal later sends the robot to its login page, the robot
logs in again with the configured account and saves the renewed login.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from loguru import logger

from robot.core.config import Settings
from robot.core.errors import CorobotError
from robot.core.exit_codes import ExitCode
from robot.session.browser import BrowserSession
from robot.session.session_store import save_session, session_path


async def _login(settings: Settings) -> None:
    from flows.operator_login import is_logged_in, operator_login
    from flows.portal import PortalWorker
    from flows.profile import load_profile
    from robot.commands.wiring import solver_factory

    profile = load_profile(settings.portal_profile)
    start = profile.start(settings.portal_url)
    async with BrowserSession(settings) as session:
        context = await session.new_context()
        if settings.cdp_url:
            if not await is_logged_in(context, start, profile):
                raise CorobotError(
                    f"{settings.cdp_url} 的 Chrome 尚未登录门户：请先在其中登录，再运行 corobot login --cdp"
                )
        elif settings.headed:
            await operator_login(context, start, settings.username, profile)
        else:
            await PortalWorker(context, settings, solver_factory(settings)).connect()  # type: ignore[arg-type]
        if not await is_logged_in(context, start, profile):
            raise CorobotError("未能登录门户")
        save_session(session_path(settings.state_dir, settings.account), await context.storage_state())


def run_login(settings: Settings, headed: bool, cdp_url: str | None) -> ExitCode:
    settings = replace(settings, headed=headed or settings.headed, cdp_url=cdp_url or settings.cdp_url)
    try:
        asyncio.run(_login(settings))
    except (CorobotError, TimeoutError) as error:
        logger.error("登录失败：{}", error)
        return ExitCode.PORTAL_UNAVAILABLE
    except Exception as error:  # Playwright errors: the operator closed the window, waited too long…
        logger.error("登录失败：{}", str(error).splitlines()[0] if str(error) else type(error).__name__)
        return ExitCode.PORTAL_UNAVAILABLE
    saved = session_path(settings.state_dir, settings.account)
    logger.info("登录状态已保存：{}（仅本用户可读；勿提交、勿外传）", saved)
    return ExitCode.OK
