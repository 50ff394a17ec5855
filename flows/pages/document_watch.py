"""Fails fast when a page or iframe document comes back broken, or the portal shows its login page,
instead of waiting for a timeout.

The portal answers a broken page load with a 5xx document, and an expired session by showing its
login page (in the window, or in an iframe that then takes the whole window). Either makes every
later locator wait in vain; this watch notices the document and aborts the step with the right
error kind at once. The login page is recognised by what it shows (a password field and the profile's word 验证码).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import TypeVar

from playwright.async_api import BrowserContext, Frame, Request, Response
from playwright.async_api import Error as PlaywrightError

from flows.pages.login_page import SHOWS_LOGIN
from robot.core.errors import PortalSystemError, SessionExpired

T = TypeVar("T")
_LOOK_MS = 10_000
"""How long a new document may take to be looked at (each look ends by itself: no silent wait)."""


class DocumentWatch:
    def __init__(self, captcha_word: str = "验证码") -> None:
        self._captcha_word = captcha_word
        """The word that tells a login page (the portal profile's 验证码)."""
        self._failure: Exception | None = None
        self._failed = asyncio.Event()
        self._login_is_failure = True
        self.login_seen = False
        """A document showing the login form loaded since the last login (kept for `logged_out`)."""
        self._checks: set[asyncio.Task[None]] = set()
        self.request_errors = 0
        """Requests of any page of the context that failed (HTTP 5xx, or no answer; a request the page
        aborted itself does not count): a table drawn empty after one says nothing (`answer_trusted`)."""

    def watch(self, context: BrowserContext) -> None:
        """Watches every page and iframe of the context (the application opens new windows)."""
        context.on("response", self._seen)
        context.on("requestfailed", self._failed_request)
        for page in context.pages:
            page.on("framenavigated", self._navigated)
        context.on("page", lambda page: page.on("framenavigated", self._navigated))

    def _seen(self, response: Response) -> None:
        if response.status >= 500:
            self.request_errors += 1
        if response.request.resource_type == "document" and response.status >= 500:
            self._fail(PortalSystemError(f"门户页面出错（HTTP {response.status}）：{response.url}"))

    def _failed_request(self, request: Request) -> None:
        if "ABORTED" not in (request.failure or "").upper():  # (a superseded query the page dropped itself)
            self.request_errors += 1

    def answer_trusted(self, errors_before: int) -> bool:
        """Whether no request failed since `request_errors` read `errors_before`: a result table the page
        drew empty after a failed query (a 5xx answered with 没有找到匹配的记录, its 系统繁忙 shown later)
        must not count as "nothing there"."""
        return self.request_errors == errors_before

    def _navigated(self, frame: Frame) -> None:
        """A window or iframe committed a new document (also one at the same address, as after a
        reload): it is looked at once it has loaded."""
        check = asyncio.ensure_future(self._check_login(frame))
        self._checks.add(check)
        check.add_done_callback(self._checks.discard)

    async def _check_login(self, frame: Frame) -> None:
        try:
            await frame.wait_for_load_state("domcontentloaded", timeout=_LOOK_MS)
            shows = await asyncio.wait_for(frame.evaluate(SHOWS_LOGIN, self._captcha_word), _LOOK_MS / 1000)
        except (PlaywrightError, TimeoutError):  # navigated on (that document is looked at in turn) or gone
            return
        if shows:
            self.login_seen = True
            if self._login_is_failure:
                self._fail(SessionExpired("门户会话已过期，页面被带回登录页"))

    def _fail(self, error: Exception) -> None:
        if self._failure is None:
            self._failure = error
        self._failed.set()

    async def guard(self, work: Awaitable[T], login_is_failure: bool = True) -> T:
        """Runs `work`; a broken document seen meanwhile cancels it and raises that error instead."""
        self._failure, self._login_is_failure = None, login_is_failure
        self._failed.clear()
        job = asyncio.ensure_future(work)
        alarm = asyncio.ensure_future(self._failed.wait())
        try:
            await asyncio.wait({job, alarm}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # cancelled from outside (a deadline): the work ends with the guard
            job.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await job
            raise
        finally:
            alarm.cancel()
        if job.done():
            return job.result()
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await job
        assert self._failure is not None
        raise self._failure
