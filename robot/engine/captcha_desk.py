"""Help from a person at login: the captcha desk the web console shows, and the solver that uses it.

While `corobot serve` runs, the desk is open. A login whose OCR failed `captcha_help_after` times (or
every login with `captcha_solver = "console"`) puts its captcha image on the desk and waits, at most
`captcha_help_timeout_s`, for someone logged in to the console to type the answer. Nobody answering
ends the login (LoginFailed: the run ends with exit code 3 as today when login is impossible).
One prompt at a time (a second login waits for the desk to be free, it does not replace the first's
prompt); the desk is thread-safe (the console answers from its own thread).
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from dataclasses import dataclass

from loguru import logger

from robot.core.captcha import CaptchaSolver
from robot.core.errors import LoginFailed

WAIT_TURN_S = 0.2
"""How often a prompt waiting for its turn looks whether the desk is free."""


@dataclass(frozen=True)
class Prompt:
    id: str
    png: bytes
    deadline: float
    """time.monotonic() when the prompt gives up."""

    @property
    def seconds_left(self) -> int:
        return max(0, int(self.deadline - time.monotonic()))


class CaptchaDesk:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._prompt: Prompt | None = None
        self._waiter: tuple[asyncio.AbstractEventLoop, asyncio.Future[str]] | None = None
        self.open = False
        """True while a console can show prompts (corobot serve)."""
        self.last_message = ""
        """What happened to the last prompt (shown on the console)."""

    def pending(self) -> Prompt | None:
        with self._lock:
            return self._prompt

    def answer(self, prompt_id: str, text: str) -> bool:
        """A person's answer; False when that prompt is no longer waiting."""
        with self._lock:
            if self._prompt is None or self._prompt.id != prompt_id or self._waiter is None:
                return False
            loop, future = self._waiter
            self._prompt, self._waiter = None, None
        loop.call_soon_threadsafe(_answer, future, text.strip())
        return True

    async def ask(self, png: bytes, timeout_s: float) -> str | None:
        """Shows `png` on the console and waits for an answer; None after `timeout_s`. While another
        login's prompt is on the desk (several workers), this one waits its turn within the same time."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()
        deadline = time.monotonic() + timeout_s
        prompt = Prompt(secrets.token_urlsafe(8), png, deadline)
        while True:
            with self._lock:
                if self._prompt is None:
                    self._prompt, self._waiter = prompt, (loop, future)
                    self.last_message = ""
                    break
            if time.monotonic() >= deadline:
                self._timed_out(timeout_s)
                return None
            await asyncio.sleep(min(WAIT_TURN_S, max(0.0, deadline - time.monotonic())))
        logger.warning("验证码需要人工输入：请在控制台任一页面的提示条中输入（{} 秒内）", prompt.seconds_left)
        try:
            return await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            self._timed_out(timeout_s)
            return None
        finally:
            with self._lock:
                if self._prompt is prompt:
                    self._prompt, self._waiter = None, None

    def _timed_out(self, timeout_s: float) -> None:
        self.last_message = f"验证码等待人工输入超时（{int(timeout_s)} 秒内无人输入），本次无法登录"
        logger.error(self.last_message)


DESK = CaptchaDesk()


class PersonHelpedSolver:
    """OCR for the first `ocr_tries` captchas of a login (0 = none), then a person at the console."""

    def __init__(self, desk: CaptchaDesk, ocr: CaptchaSolver | None, ocr_tries: int, timeout_s: float) -> None:
        self.desk, self.ocr, self.ocr_tries, self.timeout_s = desk, ocr, ocr_tries, timeout_s
        self.tries = 0

    def begin_login(self) -> None:
        self.tries = 0

    async def solve(self, png: bytes) -> str | None:
        self.tries += 1
        if self.ocr is not None and self.tries <= self.ocr_tries:
            return await self.ocr.solve(png)
        answer = await self.desk.ask(png, self.timeout_s)
        if not answer:
            raise LoginFailed(self.desk.last_message or "验证码未输入，无法登录")
        return answer


def _answer(future: asyncio.Future[str], text: str) -> None:
    """Resolves a waiting prompt on its own loop (unless it timed out meanwhile)."""
    if not future.done():
        future.set_result(text)
