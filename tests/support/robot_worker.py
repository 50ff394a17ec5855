"""A connected portal worker of the robot (flows.portal.PortalWorker) in its own Chromium, for tests that
drive the robot's page objects one call at a time against the mock portal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, async_playwright

from flows.portal import PortalWorker
from robot.commands.wiring import portal_worker
from robot.session.browser_path import LAUNCH_ARGS, find_browser
from tests.support.robot_settings import settings_for


@asynccontextmanager
async def connected_worker(
    url: str, workdir: Path, **changes: Any
) -> AsyncIterator[tuple[BrowserContext, PortalWorker]]:
    """A logged-in worker (captcha by the mock's test API) and its context; the browser closes after."""
    settings = settings_for(url, workdir, captcha_solver="test-api", **changes)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        try:
            context = await browser.new_context()
            worker = portal_worker(context, settings)
            await worker.connect()
            yield context, worker
        finally:
            await browser.close()
