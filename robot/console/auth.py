"""Console sessions, CSRF tokens and the login rate limit (all in memory: a restart logs everyone out).

- A session is a random token in the cookie `corobot_session` (HttpOnly, SameSite=Strict, Path=/) that
  expires after `IDLE_S` without a request (the console's status polling does not count). Each session
  has its own CSRF token; every POST must carry it
  (form field `csrf` or header `X-CSRF-Token`).
- Before login, the login form's CSRF token is a random value in the cookie `corobot_login` repeated in
  the form (double submit).
- Rate limit: `MAX_FAILURES` failed logins of one account name, or `MAX_ADDRESS_FAILURES` from one client
  address, within `WINDOW_S` block further attempts (even correct ones) until the oldest failure leaves
  the window. Keys: `user:NAME`, `ip:ADDRESS`. An attempt counts as a failure from the moment it is let
  through (`attempt`) until it succeeds, so parallel guesses cannot all pass the check before the first
  failure is recorded.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

SESSION_COOKIE = "corobot_session"
LOGIN_COOKIE = "corobot_login"
IDLE_S = 8 * 3600
MAX_FAILURES = 5
"""Failed logins of one account name within WINDOW_S that block it."""
MAX_ADDRESS_FAILURES = 20
"""Failed logins from one client address (any names) within WINDOW_S that block it."""
WINDOW_S = 15 * 60


@dataclass
class Session:
    token: str
    user: str
    csrf: str
    seen: float = field(default_factory=time.monotonic)


class Sessions:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_token: dict[str, Session] = {}

    def create(self, user: str) -> Session:
        session = Session(secrets.token_urlsafe(32), user, secrets.token_urlsafe(32))
        with self._lock:
            self._by_token[session.token] = session
        return session

    def get(self, token: str | None, touch: bool = True) -> Session | None:
        """The live session of `token`; `touch=False` for the page's own polling, which is no activity
        (an open tab nobody looks at must not keep a session alive past IDLE_S)."""
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._by_token.get(token)
            if session is None:
                return None
            if now - session.seen > IDLE_S:
                del self._by_token[token]
                return None
            if touch:
                session.seen = now
            return session

    def drop(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


class LoginLimit:
    def __init__(self, max_failures: int = MAX_FAILURES, max_address_failures: int = MAX_ADDRESS_FAILURES,
                 window_s: float = WINDOW_S) -> None:
        self.max_failures, self.max_address_failures, self.window_s = max_failures, max_address_failures, window_s
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] > self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def _waits(self, keys: tuple[str, ...], now: float) -> list[float]:
        return [self.window_s - (now - t[0]) for k, t in ((k, self._recent(k, now)) for k in keys)
                if len(t) >= (self.max_address_failures if k.startswith("ip:") else self.max_failures)]

    def wait_s(self, *keys: str) -> int:
        """Seconds until another attempt is allowed for these keys (0 = now)."""
        now = time.monotonic()
        with self._lock:
            waits = self._waits(keys, now)
        return int(max(waits)) + 1 if waits else 0

    def attempt(self, *keys: str) -> int:
        """Lets one login attempt through and counts it as failed until `succeeded`; or, when these keys
        are blocked, the seconds to wait (nothing counted). Check and count are one step under the lock."""
        now = time.monotonic()
        with self._lock:
            waits = self._waits(keys, now)
            if waits:
                return int(max(waits)) + 1
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
        return 0

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
