"""Captcha solver for the bundled mock portal only: asks its test API for the answer.

Used by tests and benchmarks (`captcha_solver = "test-api"`); a real portal has no such API.
"""

from __future__ import annotations

import httpx
from playwright.async_api import BrowserContext


class TestApiSolver:
    __test__ = False  # not a pytest test class

    def __init__(self, base_url: str, context: BrowserContext) -> None:
        self.base_url = base_url.rstrip("/")
        self.context = context

    async def solve(self, png: bytes) -> str | None:
        cookies = {c["name"]: c["value"] for c in await self.context.cookies(self.base_url)}
        params = {"sid": cookies["CASID"]} if "CASID" in cookies else {}
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"{self.base_url}/__test__/captcha", params=params)
        answer.raise_for_status()
        return str(answer.json()["answer"])
