"""Which captcha solver a worker gets: offline OCR, or the mock portal's test API (setting captcha_solver)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.async_api import BrowserContext

from robot.core.captcha import CaptchaSolver
from robot.core.config import Settings
from robot.session.ocr import OcrSolver


def solver_factory(settings: Settings) -> Callable[[BrowserContext], CaptchaSolver]:
    """Returns a function context -> CaptchaSolver for the configured solver."""

    def make(context: BrowserContext) -> CaptchaSolver:
        if settings.captcha_solver == "test-api":
            from flows.test_api_captcha import TestApiSolver

            return TestApiSolver(settings.portal_url, context)
        return OcrSolver()

    return make
