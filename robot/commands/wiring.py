"""The composition root: the one place that joins the runtime (robot/) to the portal's pages (flows/).

`portal_workers` is the `robot.core.portal.PortalWorkers` factory the commands pass down to the engine
(run, reconcile, harvest, worklist, watch, serve); which captcha solver a worker gets — offline OCR, a
person at the web console, or the mock portal's test API (setting captcha_solver; under `corobot serve`
OCR falls back to the console after captcha_help_after) — is decided here too.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.async_api import BrowserContext

from flows.portal import PortalWorker
from flows.test_api_captcha import TestApiSolver
from robot.core.captcha import CaptchaSolver
from robot.core.config import Settings
from robot.core.portal import PortalWorkers
from robot.engine.captcha_desk import DESK, PersonHelpedSolver
from robot.session.ocr import OcrSolver


def solver_factory(settings: Settings) -> Callable[[BrowserContext], CaptchaSolver]:
    """Returns a function context -> CaptchaSolver for the configured solver."""

    def make(context: BrowserContext) -> CaptchaSolver:
        if settings.captcha_solver == "test-api":
            return TestApiSolver(settings.portal_url, context)
        if settings.captcha_solver == "console":
            return PersonHelpedSolver(DESK, None, 0, settings.captcha_help_timeout_s)
        if DESK.open:
            return PersonHelpedSolver(DESK, OcrSolver(), settings.captcha_help_after, settings.captcha_help_timeout_s)
        return OcrSolver()

    return make


def portal_worker(context: BrowserContext, settings: Settings) -> PortalWorker:
    """The portal worker of one browser context for one account (also for harvest and worklist, which
    read more of the portal than the engine's port)."""
    return PortalWorker(context, settings, solver_factory(settings))


portal_workers: PortalWorkers = portal_worker
"""The factory the engine gets: the port's view of `portal_worker`."""
