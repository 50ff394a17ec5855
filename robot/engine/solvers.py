"""Which captcha solver a worker gets: offline OCR, a person at the web console, or the mock portal's test
API (setting captcha_solver; under `corobot serve` OCR falls back to the console after captcha_help_after)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.async_api import BrowserContext

from robot.core.captcha import CaptchaSolver
from robot.core.config import Settings
from robot.engine.captcha_desk import DESK, PersonHelpedSolver
from robot.session.ocr import OcrSolver


def solver_factory(settings: Settings) -> Callable[[BrowserContext], CaptchaSolver]:
    """Returns a function context -> CaptchaSolver for the configured solver."""

    def make(context: BrowserContext) -> CaptchaSolver:
        if settings.captcha_solver == "test-api":
            from flows.test_api_captcha import TestApiSolver

            return TestApiSolver(settings.portal_url, context)
        if settings.captcha_solver == "console":
            return PersonHelpedSolver(DESK, None, 0, settings.captcha_help_timeout_s)
        if DESK.open:
            return PersonHelpedSolver(DESK, OcrSolver(), settings.captcha_help_after, settings.captcha_help_timeout_s)
        return OcrSolver()

    return make
