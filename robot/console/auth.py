"""Console sessions, CSRF tokens and the login limits (all in memory: a restart logs everyone out).

- A session is a random token in the cookie `corobot_session` (HttpOnly, SameSite=Strict, Path=/, and
  Secure when the console serves HTTPS). It ends after `IDLE_S` without a request (the console's status
  polling does not count) and, whatever the activity, `max_age_s` after the login (setting
  `console_session_max_hours`). Each session has its own CSRF token; every POST must carry it (form
  field `csrf` or header `X-CSRF-Token`).
- Before login, the login form's CSRF token is a random value in the cookie `corobot_login` repeated in
  the form (double submit).
- Login limits (`LoginLimit`): failed logins are counted per account from one address (`pair`), per
  address whatever the account (`ip`) and per account from all addresses (`user`). Past a number of free
  tries each key asks for a delay that doubles with every further failure (`FIRST_DELAY_S`, 2×, … up to
  the key's cap); an attempt inside the delay is refused without checking the password. Failures are
  forgotten `WINDOW_S` after they happened — a valid login resets nothing, so an attacker cannot clear
  the count with an account of their own. The account-wide delay is capped at one minute and does not
  apply from an address the account has logged in from before, so guesses elsewhere never lock the real
  user out. An attempt counts as a failure from the moment it is let through (`attempt`) until it
  succeeds, so parallel guesses cannot all pass the check before the first failure is recorded.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

SESSION_COOKIE = "corobot_session"
LOGIN_COOKIE = "corobot_login"
IDLE_S = 8 * 3600
WINDOW_S = 15 * 60
"""A failed login is forgotten this long after it happened."""
FIRST_DELAY_S = 2.0
KNOWN_S = 30 * 24 * 3600
"""An address an account logged in from stays exempt from that account's account-wide delay this long."""
MAX_KNOWN = 10_000


@dataclass(frozen=True)
class Rule:
    free: int
    """Failures within WINDOW_S that need no delay."""
    cap_s: float
    """The longest delay this key can ask for."""


RULES = {"pair": Rule(5, WINDOW_S), "ip": Rule(20, WINDOW_S), "user": Rule(20, 60.0)}
"""`pair`: one account from one address; `ip`: one address, any account; `user`: one account, any address."""


@dataclass
class Session:
    token: str
    user: str
    csrf: str
    seen: float = field(default_factory=time.monotonic)
    created: float = field(default_factory=time.monotonic)


class Sessions:
    def __init__(self, max_age_s: float = 12 * 3600, idle_s: float = IDLE_S) -> None:
        self.max_age_s, self.idle_s = max_age_s, idle_s
        self._lock = threading.Lock()
        self._by_token: dict[str, Session] = {}

    def create(self, user: str) -> Session:
        session = Session(secrets.token_urlsafe(32), user, secrets.token_urlsafe(32))
        with self._lock:
            self._by_token[session.token] = session
        return session

    def get(self, token: str | None, touch: bool = True) -> Session | None:
        """The live session of `token`; `touch=False` for the page's own polling, which is no activity
        (an open tab nobody looks at must not keep a session alive past the idle time)."""
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._by_token.get(token)
            if session is None:
                return None
            if now - session.seen > self.idle_s or now - session.created > self.max_age_s:
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


@dataclass(frozen=True)
class Attempt:
    """A login attempt let through: its keys and the moment it was counted (as a failure, until it succeeds)."""

    keys: tuple[str, ...]
    at: float


class LoginLimit:
    def __init__(self, rules: dict[str, Rule] | None = None, window_s: float = WINDOW_S) -> None:
        self.rules, self.window_s = rules or RULES, window_s
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self._known: dict[str, float] = {}

    @staticmethod
    def keys(name: str, address: str) -> dict[str, str]:
        return {"pair": f"pair:{name}@{address}", "ip": f"ip:{address}", "user": f"user:{name}"}

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, ()) if now - t <= self.window_s]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def _wait(self, name: str, address: str, now: float) -> float:
        waits = [0.0]
        known = now - self._known.get(f"{name}@{address}", -KNOWN_S - 1) <= KNOWN_S
        for kind, key in self.keys(name, address).items():
            times, rule = self._recent(key, now), self.rules[kind]
            if (kind == "user" and known) or len(times) < rule.free:
                continue
            delay = min(rule.cap_s, FIRST_DELAY_S * 2 ** (len(times) - rule.free))
            waits.append(max(times) + delay - now)
        return max(waits)

    def wait_s(self, name: str, address: str) -> int:
        """Seconds until another attempt of `name` from `address` is let through (0 = now)."""
        with self._lock:
            wait = self._wait(name, address, time.monotonic())
        return int(wait) + 1 if wait > 0 else 0

    def attempt(self, name: str, address: str) -> Attempt | int:
        """Lets one login attempt through and counts it as failed until `succeeded`; or, while a delay
        runs for it, the seconds to wait (nothing counted). Check and count are one step under the lock."""
        now = time.monotonic()
        with self._lock:
            wait = self._wait(name, address, now)
            if wait > 0:
                return int(wait) + 1
            keys = tuple(self.keys(name, address).values())
            for key in keys:
                self._failures.setdefault(key, []).append(now)
        return Attempt(keys, now)

    def succeeded(self, attempt: Attempt, name: str, address: str) -> None:
        """This attempt was no failure; earlier failures stay counted. The address becomes known."""
        with self._lock:
            for key in attempt.keys:
                times = self._failures.get(key, [])
                if attempt.at in times:
                    times.remove(attempt.at)
                if not times:
                    self._failures.pop(key, None)
            if len(self._known) >= MAX_KNOWN:
                del self._known[min(self._known, key=self._known.__getitem__)]
            self._known[f"{name}@{address}"] = attempt.at
