"""Console accounts: names and scrypt password hashes in the store's table `console_users` (robot.store:
the state folder's SQLite file, mode 0600, or the database of `journal_url`, shared by every host).

`corobot user add NAME` and `corobot user passwd NAME` write it; the console's login checks it. A hash is
`scrypt$n$r$p$salt$key` (hashlib.scrypt, 16-byte random salt); comparison in constant time. The table
holds no password, only hashes. A `console-users.json` of earlier versions is taken over once
(robot.store.legacy).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from sqlalchemy import select

from robot.store import using
from robot.store.db import DB_NAME, reading, upsert, writing
from robot.store.schema import console_users

N, R, P = 2**14, 8, 1
MIN_PASSWORD = 8
NAME_RULE = re.compile(r"^[\w.@-]{1,40}$")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(_unb64(key)), maxmem=2**26
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _unb64(key))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Users:
    """The console accounts of the store of `url` (a `journal_url`; empty: the SQLite file of `state_dir`)."""

    def __init__(self, state_dir: Path, url: str = "") -> None:
        self.state_dir = Path(state_dir)
        self.url = url
        self.path = None if url else self.state_dir / DB_NAME
        """The SQLite file holding the hashes (None: a database server)."""

    def _load(self) -> dict[str, str]:
        if self.path is not None and not self.path.exists():
            return {}
        with using(self.url, self.state_dir) as engine, reading(engine) as conn:
            return {row.name: row.password_hash for row in conn.execute(select(console_users))}

    def names(self) -> list[str]:
        return sorted(self._load())

    def exists(self, name: str) -> bool:
        return name in self._load()

    def set_password(self, name: str, password: str) -> None:
        """Adds the account or changes its password; ValueError (Chinese) for a bad name or password."""
        if not NAME_RULE.match(name):
            raise ValueError("账号名只能由字母、数字、汉字和 . _ - @ 组成，最长 40 个字符")
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"密码至少 {MIN_PASSWORD} 个字符")
        with using(self.url, self.state_dir) as engine, writing(engine) as conn:
            upsert(conn, console_users, {"name": name, "password_hash": hash_password(password)}, ("password_hash",))
        if self.path is not None and os.name != "nt":
            for path in (self.path, self.path.with_name(self.path.name + "-wal")):
                if path.exists():
                    path.chmod(0o600)  # the hashes are nobody else's business

    def check(self, name: str, password: str) -> bool:
        stored = self._load().get(name)
        # an unknown name is checked against a throwaway hash: it takes as long as a wrong password
        ok = verify_password(password, stored or hash_password(secrets.token_urlsafe(12)))
        return ok and stored is not None
