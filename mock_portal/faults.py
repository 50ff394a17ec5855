"""Fault drills: requests that never answer (or answer 5xx), armed one by one through the test API or
at random with the `hang_rate` knob. Requests are told apart generically — by the browser's own
`Sec-Fetch-Dest` / `Accept` headers and a path naming a login — so whatever front end serves the
pages, `page`, `xhr` and `login` mean the same.

A hung request waits until the client gives up (disconnects) or `HANG_MAX_S` passed (then 504), so
drills stop by themselves.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

from starlette.types import Receive, Scope, Send

KINDS = ("page", "xhr", "login", "any")
FAULTS = ("hang", "error")
HANG_MAX_S = 300.0


def request_kind(scope: Scope) -> str:
    """`login` (a path naming a login: page, form or captcha), `page` (a document or iframe), `xhr`
    (fetch/XHR), or `other` (scripts, images, styles)."""
    path = str(scope.get("path", "")).lower()
    if "login" in path:
        return "login"
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    dest = headers.get("sec-fetch-dest", "")
    if dest in ("document", "iframe", "frame"):
        return "page"
    if dest == "empty":
        return "xhr"
    accept = headers.get("accept", "")
    if "text/html" in accept:
        return "page"
    if scope.get("method") == "POST" or "json" in accept or headers.get("x-requested-with"):
        return "xhr"
    return "other"


@dataclass
class Armed:
    kind: str
    fault: str
    count: int


@dataclass
class Faults:
    """Armed one-shot faults and what has been done so far (for tests to check that a drill happened)."""

    armed: list[Armed] = field(default_factory=list)
    hung: int = 0
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def arm(self, kind: str, fault: str = "hang", count: int = 1) -> None:
        if kind not in KINDS or fault not in FAULTS or count < 0:
            raise ValueError(f"kind must be one of {KINDS}, fault one of {FAULTS}, count >= 0")
        with self._lock:
            self.armed = [a for a in self.armed if (a.kind, a.fault) != (kind, fault)]
            if count:
                self.armed.append(Armed(kind, fault, count))

    def take(self, kind: str) -> str | None:
        """The fault this request of `kind` gets (and one less armed), or None."""
        if kind == "other":
            return None
        with self._lock:
            for armed in self.armed:
                if armed.kind in (kind, "any") and armed.count > 0:
                    armed.count -= 1
                    self.armed = [a for a in self.armed if a.count > 0]
                    return armed.fault
        return None

    def state(self) -> dict[str, object]:
        with self._lock:
            return {"armed": [a.__dict__.copy() for a in self.armed], "hung": self.hung, "failed": self.failed}


async def hang(receive: Receive, send: Send) -> None:
    """Never answers: reads the request, then waits until the client disconnects (or HANG_MAX_S)."""

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(until_disconnect(), timeout=HANG_MAX_S)
    except TimeoutError:
        body = b"gateway timeout"
        await send(
            {
                "type": "http.response.start",
                "status": 504,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
