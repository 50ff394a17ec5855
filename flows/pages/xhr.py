"""The portal's XHR envelope `{errCode, errMsg, data}`: waits for one call and classifies its answer.

A redirect to the login page means the session expired; 5xx and unparsable answers are system
errors; everything else is handed back for the page object to read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Locator, Page, Response, expect

from robot.errors import PortalSystemError, SessionExpired

OK = "100"
NO_DATA = "101"
INVALID = "102"


@dataclass(frozen=True)
class Envelope:
    code: str
    message: str
    data: Any


async def call(page: Page, path: str, action: Callable[[], Awaitable[None]]) -> Envelope:
    """Runs `action` (a click) and waits for the POST to `path` it triggers."""
    async with page.expect_response(lambda r: path in r.url and r.request.method == "POST") as info:
        await action()
    return await read(await info.value)


async def read(response: Response) -> Envelope:
    location = response.headers.get("location", "")
    if 300 <= response.status < 400 or "/cas/login" in location or "/cas/login" in response.url:
        raise SessionExpired("门户会话已过期，需重新登录")
    if response.status >= 500:
        raise PortalSystemError(f"门户系统繁忙（HTTP {response.status}）")
    if response.status >= 400:
        raise PortalSystemError(f"门户拒绝了请求（HTTP {response.status}）")
    try:
        body = await response.json()
    except Exception as error:
        raise PortalSystemError("门户返回了无法识别的应答") from error
    return Envelope(str(body.get("errCode", "")), str(body.get("errMsg", "")), body.get("data"))


async def settled(table: Locator) -> None:
    """Waits until a result table is not loading (`aria-busy` false)."""
    await expect(table).not_to_have_attribute("aria-busy", "true")


async def paged(first: Envelope, next_page: Callable[[], Awaitable[Envelope]]) -> AsyncIterator[dict[str, Any]]:
    """Yields each page's `data` ({rows, total, page, size}) from `first` on, clicking on while there is more."""
    answer = first
    while True:
        if answer.code == NO_DATA:
            return
        if answer.code != OK:
            raise PortalSystemError(f"查询失败：{answer.message}")
        data = answer.data or {}
        yield data
        if not has_next(data):
            return
        answer = await next_page()


def has_next(data: dict[str, Any]) -> bool:
    """Whether a paged answer `{rows, total, page, size}` has a page after this one."""
    page, size, total = int(data.get("page", 1)), int(data.get("size", 10)), int(data.get("total", 0))
    return page * size < total
