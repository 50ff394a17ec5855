"""Console accounts: names and scrypt password hashes in `<state_dir>/console-users.json` (mode 0600).

`corobot user add NAME` and `corobot user passwd NAME` write it; the console's login checks it. A hash is
`scrypt$n$r$p$salt$key` (hashlib.scrypt, 16-byte random salt); comparison in constant time. The file
holds no password, only hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path

USERS_NAME = "console-users.json"
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
    def __init__(self, state_dir: Path) -> None:
        self.path = Path(state_dir) / USERS_NAME

    def _load(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        return dict(json.loads(self.path.read_text(encoding="utf-8")))

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
        users = self._load()
        users[name] = hash_password(password)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(users, fh, ensure_ascii=False, indent=1)
        os.replace(temp, self.path)

    def check(self, name: str, password: str) -> bool:
        stored = self._load().get(name)
        # an unknown name is checked against a throwaway hash: it takes as long as a wrong password
        ok = verify_password(password, stored or hash_password(secrets.token_urlsafe(12)))
        return ok and stored is not None
