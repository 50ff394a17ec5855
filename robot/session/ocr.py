"""The default captcha solver: offline OCR (ddddocr) of the portal's letters-and-digits image.

The protocol it fulfils is `robot.core.captcha.CaptchaSolver`; the mock portal's test-API solver lives
in flows/ because it knows that portal.
"""

from __future__ import annotations

import re

from loguru import logger

_CLEAN = re.compile(r"[^0-9A-Za-z]")


class OcrSolver:
    """Reads a letters-and-digits image captcha with ddddocr (offline, model shipped in the wheel)."""

    def __init__(self, length: int = 4) -> None:
        self.length = length
        self._ocr: object | None = None

    def _engine(self) -> object:
        if self._ocr is None:
            import ddddocr

            self._ocr = ddddocr.DdddOcr(show_ad=False)
        return self._ocr

    async def solve(self, png: bytes) -> str | None:
        guess = _CLEAN.sub("", str(self._engine().classification(png)))  # type: ignore[attr-defined]
        logger.debug("captcha OCR read {} characters", len(guess))
        return guess if len(guess) == self.length else None
