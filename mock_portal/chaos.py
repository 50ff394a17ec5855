"""ASGI middleware for the latency and 5xx chaos knobs (never on /static or /__test__)."""

from __future__ import annotations

import asyncio
import random

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_portal.settings import Settings

EXEMPT_PREFIXES: tuple[str, ...] = ("/static/", "/__test__/")

_ERROR_PAGE = (
    "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{code}</title></head>"
    "<body><h1>{code} {text}</h1><p>系统繁忙，请稍后重试</p></body></html>"
)


class ChaosMiddleware:
    """Delays every in-scope request and answers a share of them with 500/502 before the app sees them."""

    def __init__(self, app: ASGIApp, settings: Settings, rng: random.Random | None = None) -> None:
        self.app = app
        self.settings = settings
        self.rng = rng or random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        settings = self.settings
        delay_ms = settings.latency_ms + (self.rng.uniform(0, settings.jitter_ms) if settings.jitter_ms else 0)
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        if settings.error_rate > 0 and self.rng.random() < settings.error_rate:
            code, text = self.rng.choice(((500, "Internal Server Error"), (502, "Bad Gateway")))
            body = _ERROR_PAGE.format(code=code, text=text).encode()
            await send({
                "type": "http.response.start",
                "status": code,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())],
            })
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
