"""The captcha solver protocol shared by the browser session and flows/.

A solver gets the captcha image as PNG bytes and returns its guess, or None when the image is
unreadable (the caller then asks the portal for a fresh one). Solvers: `robot.session.ocr` (offline
OCR), a person at the web console (`robot.engine.captcha_desk`), the operator in headed runs (flows/),
the mock portal's test API (flows/). A solver may also have `begin_login()`, which the login flow calls
before the first captcha of each login.
"""

from __future__ import annotations

from typing import Protocol


class CaptchaSolver(Protocol):
    async def solve(self, png: bytes) -> str | None: ...
