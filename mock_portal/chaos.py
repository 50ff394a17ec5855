"""ASGI middleware for the latency, 5xx and hang chaos knobs and the armed fault drills
(mock_portal.faults); never on /static or /__test__."""

from __future__ import annotations

import asyncio
import random

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_portal.faults import Faults, hang, request_kind
from mock_portal.settings import Settings

EXEMPT_PREFIXES: tuple[str, ...] = ("/static/", "/__test__/")

_ERROR_PAGE = (
    "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{code}</title></head>"
    "<body><h1>{code} {text}</h1><p>系统繁忙，请稍后重试</p></body></html>"
)


class ChaosMiddleware:
    """Delays every in-scope request and answers a share of them with 500/502 before the app sees them;
    a share of the kinds named in `hang_kinds` (and every armed fault) never answers."""

    def __init__(
        self, app: ASGIApp, settings: Settings, rng: random.Random | None = None, faults: Faults | None = None
    ) -> None:
        self.app = app
        self.settings = settings
        self.rng = rng or random.Random()
        self.faults = faults or Faults()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        settings = self.settings
        delay_ms = settings.latency_ms + (self.rng.uniform(0, settings.jitter_ms) if settings.jitter_ms else 0)
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        kind = request_kind(scope)
        fault = self.faults.take(kind)
        if fault is None and settings.hang_rate > 0 and kind in _kinds(settings.hang_kinds):
            fault = "hang" if self.rng.random() < settings.hang_rate else None
        if fault == "hang":
            self.faults.hung += 1
            await hang(receive, send)
            return
        if fault == "error" or (settings.error_rate > 0 and self.rng.random() < settings.error_rate):
            self.faults.failed += 1 if fault == "error" else 0
            code, text = self.rng.choice(((500, "Internal Server Error"), (502, "Bad Gateway")))
            body = _ERROR_PAGE.format(code=code, text=text).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": code,
                    "headers": [
                        (b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _kinds(text: str) -> set[str]:
    return {k.strip() for k in text.split(",") if k.strip()}
