"""A browser with one logged-in portal worker, for the commands that read the portal
(harvest, worklist, reconcile) rather than work a workbook."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from playwright.async_api import BrowserContext

from robot.core.config import Settings
from robot.core.portal import PortalClient
from robot.session.browser import BrowserSession
from robot.session.session_store import load_session, save_session, session_path

W = TypeVar("W", bound=PortalClient)
"""The worker type the factory makes (commands that read more than the port get their own type)."""


@asynccontextmanager
async def connected_worker(settings: Settings, workers: Callable[[BrowserContext, Settings], W]) -> AsyncIterator[W]:
    """Launches the browser, logs in (or reuses the saved login) and opens the application (steps 1–6)."""
    keep = settings.keep_session and not settings.cdp_url
    saved = session_path(settings.state_dir, settings.account)
    async with BrowserSession(settings) as session:
        context = await session.new_context(storage_state=load_session(saved) if keep else None)
        worker = workers(context, settings)
        await worker.connect()
        if keep:  # like `run`: the next command starts logged in
            save_session(saved, dict(await context.storage_state()))
        yield worker
