"""A browser with one logged-in portal worker, for the commands that read the portal
(harvest, worklist, reconcile) rather than work a workbook."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from robot.core.config import Settings
from robot.session.browser import BrowserSession
from robot.session.session_store import load_session, save_session, session_path


@asynccontextmanager
async def connected_worker(settings: Settings) -> AsyncIterator[Any]:
    """Launches the browser, logs in (or reuses the saved login) and opens the application (steps 1–6)."""
    from flows.portal import PortalWorker
    from robot.engine.solvers import solver_factory

    keep = settings.keep_session and not settings.cdp_url
    saved = session_path(settings.state_dir, settings.account)
    async with BrowserSession(settings) as session:
        context = await session.new_context(storage_state=load_session(saved) if keep else None)
        worker = PortalWorker(context, settings, solver_factory(settings))
        await worker.connect()
        if keep:  # like `run`: the next command starts logged in
            save_session(saved, await context.storage_state())
        yield worker
