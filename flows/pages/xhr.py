"""The portal's XHR envelope `{errCode, errMsg, data}`: waits for one call and classifies its answer.

A redirect to the login page means the session expired; a 5xx (the page shows 系统繁忙，请稍后重试) or
no answer in time is a passing error of that one request (retried in place); other unusable answers
are system errors; everything else is handed back for the page object to read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from robot.core.errors import PassingError, PortalSystemError, SessionExpired

OK = "100"
NO_DATA = "101"
INVALID = "102"


@dataclass(frozen=True)
class Envelope:
    code: str
    message: str
    data: Any


async def call(page: Page, path: str, action: Callable[[], Awaitable[None]],
               asks: Callable[[dict[str, Any]], bool] | None = None) -> Envelope:
    """Runs `action` (a click) and waits for the POST to `path` it triggers.

    `asks` picks the answer by its request's JSON body: with another query of the page still in
    flight (one the page sent by itself), only an answer to what this action asked is taken.
    """
    def wanted(response: Response) -> bool:
        if path not in response.url or response.request.method != "POST":
            return False
        if asks is None:
            return True
        try:
            sent = response.request.post_data_json
        except Exception:  # not JSON: not one of this page's queries
            return False
        return isinstance(sent, dict) and asks(sent)

    try:
        async with page.expect_response(wanted) as info:
            await action()
        response = await info.value
    except PlaywrightTimeout as error:
        if "expect_response" not in str(error) and "waiting for response" not in str(error).lower():
            raise
        raise PassingError(f"门户未应答（{path}）") from error
    return await read(response)


async def read(response: Response) -> Envelope:
    location = response.headers.get("location", "")
    if 300 <= response.status < 400 or "/cas/login" in location or "/cas/login" in response.url:
        raise SessionExpired("门户会话已过期，需重新登录")
    if response.status >= 500:
        raise PassingError(f"门户系统繁忙（HTTP {response.status}）")
    if response.status >= 400:
        raise PortalSystemError(f"门户拒绝了请求（HTTP {response.status}）")
    try:
        body = await response.json()
    except Exception as error:
        raise PortalSystemError("门户返回了无法识别的应答") from error
    return Envelope(str(body.get("errCode", "")), str(body.get("errMsg", "")), body.get("data"))


SETTLE_TIMEOUT_MS = 30_000

_NOT_BUSY = """(table, timeout) => new Promise((done, fail) => {
  if (table.getAttribute("aria-busy") !== "true") return done();
  const timer = setTimeout(() => { watcher.disconnect(); fail(new Error("table still loading")); }, timeout);
  const watcher = new MutationObserver(() => {
    if (table.getAttribute("aria-busy") === "true") return;
    clearTimeout(timer); watcher.disconnect(); done();
  });
  watcher.observe(table, {attributes: true, attributeFilter: ["aria-busy"]});
})"""


async def settled(table: Locator, timeout_ms: float = SETTLE_TIMEOUT_MS) -> None:
    """Waits until a result table is not loading (`aria-busy` false).

    Watches the attribute with a MutationObserver, so the wait ends the moment the page's answer
    lands (Playwright's retrying assertions poll at growing intervals: up to a second late).
    """
    try:
        await table.evaluate(_NOT_BUSY, timeout_ms)
    except PlaywrightError as error:
        raise PortalSystemError(f"查询结果未加载完成：{str(error).splitlines()[0]}") from error


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
