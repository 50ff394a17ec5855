"""`corobot doctor`: a site survey of the portal (guide steps 一.1–9 and 二.1–7, read-only), printed
one line per step and written as a bundle folder: a screenshot per step, the HTML of failing steps,
a Playwright trace (from after the login) and doctor.txt — with the password, cookies and captcha
removed. Exit 0 when every step was found, 3 otherwise."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from loguru import logger
from playwright.async_api import Page

from robot.core.config import Settings
from robot.core.errors import CorobotError
from robot.core.exit_codes import ExitCode
from robot.core.logs import setup_logging
from robot.session.browser import BrowserSession
from robot.session.bundle import SECRET_SELECTORS, scrub_html, scrub_trace


def default_bundle() -> Path:
    return Path("data/out") / f"doctor-{datetime.now():%Y%m%d-%H%M%S}"


async def _survey(settings: Settings, bundle: Path) -> list[str]:
    """Walks the steps; returns the printed lines (also written to bundle/doctor.txt)."""
    from flows.doctor import FOUND, StepResult, Survey
    from flows.pages.login_page import LoginPage
    from flows.profile import load_profile
    from robot.commands.wiring import solver_factory

    profile = load_profile(settings.portal_profile)
    bundle.mkdir(parents=True, exist_ok=True)
    async with BrowserSession(settings) as session:
        context = await session.new_context()
        tracing = False

        async def snap(result: StepResult, page: Page) -> None:
            nonlocal tracing
            name = result.step
            try:
                mask = [page.locator(s) for s in SECRET_SELECTORS]
                mask.append(LoginPage(page, profile).captcha_image)
                await page.screenshot(path=str(bundle / f"{name}.png"), mask=mask)
                if result.state != FOUND:
                    for index, frame in enumerate(page.frames):
                        suffix = "" if index == 0 else f"-frame{index}"
                        (bundle / f"{name}{suffix}.html").write_text(
                            scrub_html(await frame.content()), encoding="utf-8"
                        )
            except Exception as error:  # a closed page: the line still tells
                logger.warning("步骤 {} 的截图或 HTML 未能保存：{}", name, str(error).splitlines()[0])
            if name == "一.2" and result.state == FOUND and not tracing:  # never trace the login
                await context.tracing.start(screenshots=True, snapshots=True, sources=False)
                tracing = True

        survey = Survey(
            context,
            profile.start(settings.portal_url),
            settings.username,
            settings.password,
            solver_factory(settings)(context),
            settings.captcha_attempts,
            profile,
            snap,
            operator_may_help=settings.headed,
            settings=settings,
        )
        results = await survey.walk()
        if tracing:
            trace = bundle / "trace.zip"
            await context.tracing.stop(path=str(trace))
            scrub_trace(trace, [c["value"] for c in await context.cookies()])
    lines = [r.line() for r in results]
    (bundle / "doctor.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def run_doctor(settings: Settings, headed: bool, out: Path | None, verbose: bool = False) -> ExitCode:
    setup_logging(None, verbose)
    settings = replace(settings, headed=headed or settings.headed)
    bundle = out or default_bundle()
    try:
        lines = asyncio.run(_survey(settings, bundle))
    except (CorobotError, TimeoutError) as error:
        logger.error("门户无法检查：{}", error)
        return ExitCode.PORTAL_UNAVAILABLE
    for line in lines:
        print(line)
    missing = [line for line in lines if "] 找到" not in line]
    print(
        f"共 {len(lines)} 步：找到 {len(lines) - len(missing)} 步，未找到或未检查 {len(missing)} 步。资料包：{bundle}"
    )
    return ExitCode.OK if not missing else ExitCode.PORTAL_UNAVAILABLE
