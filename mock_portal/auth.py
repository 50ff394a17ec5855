"""Password hashing and the in-memory session store (cookie `CASID`, CSRF token, captcha, login time)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass, field

COOKIE = "CASID"
_ITERATIONS = 50_000


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """(salt, PBKDF2-SHA256 digest) of a password."""
    salt = salt or os.urandom(16)
    return salt, hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _ITERATIONS)


def check_password(password: str, salt: bytes, digest: bytes) -> bool:
    return hmac.compare_digest(hash_password(password, salt)[1], digest)


@dataclass
class Session:
    """One browser's state; `username` is None until login."""

    sid: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    captcha: str | None = None
    username: str | None = None
    login_at: float = 0.0
    origin_notice_shown: bool = False
    revoked: bool = False
    """Expired by the portal whatever its age (the `expire_after_submits` drill)."""

    def expired(self, lifetime: float, now: float | None = None) -> bool:
        if self.username and self.revoked:
            return True
        return bool(self.username) and lifetime > 0 and (now or time.time()) - self.login_at > lifetime

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, token or "")


class SessionStore:
    """Thread-safe map of session id to Session; also remembers the last captcha issued."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self.last_captcha: str | None = None

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            return self._sessions.get(sid)

    def create(self) -> Session:
        session = Session(secrets.token_urlsafe(24))
        with self._lock:
            self._sessions[session.sid] = session
        return session

    def drop(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    def login(self, old: Session, username: str) -> Session:
        """A fresh session id for the logged-in user (prevents session fixation)."""
        self.drop(old.sid)
        session = self.create()
        session.username = username
        session.login_at = time.time()
        return session

    def revoke_all(self) -> None:
        """Every logged-in session expires now (their users must log in again)."""
        with self._lock:
            for session in self._sessions.values():
                session.revoked = True

    def set_captcha(self, session: Session, answer: str) -> None:
        session.captcha = answer
        self.last_captcha = answer
