"""A browser with one logged-in portal worker, for the commands that read the portal
(harvest, worklist, reconcile) rather than work a workbook."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from robot.browser import BrowserSession
from robot.config import Settings


@asynccontextmanager
async def connected_worker(settings: Settings) -> AsyncIterator[Any]:
    """Launches the browser, logs in and opens the application (guide steps 1–6)."""
    from flows.portal import PortalWorker
    from robot.job import solver_factory

    async with BrowserSession(settings) as session:
        context = await session.new_context()
        worker = PortalWorker(context, settings, solver_factory(settings))
        await worker.connect()
        yield worker
