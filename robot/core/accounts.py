"""Several enterprise accounts in one robot: the account model and the `[accounts.<name>]` tables.

```toml
[accounts.default]             # the account rows without one go to (optional)
username = "exporter1"
enterprise = "西安秦川机电进出口有限公司"   # optional: the name the portal header must show after login
[accounts.silk]
username = "exporter2"
portal_url = "https://other.portal"   # optional; else the global portal_url
workers = 1                    # optional politeness; else the global workers / min_submit_interval_s
min_submit_interval_s = 2.0
hosts = ["pc-1", "pc-2"]       # optional: with a shared queue (journal_url = postgresql://…) only these hosts
                               # work its rows; else every host (docs/hosts.md)
```

Passwords never sit in these tables: `CO_PASSWORD_<NAME>` (the name upper-cased, other characters
than letters and digits as `_`), else the keyring (service `corobot`, user = the account's username).
Without any table the single account of `[corobot]` (`username`, `CO_USERNAME`…) is the only one, as
before. This module imports nothing of corobot but the secret type; robot.core.config calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from robot.core.secrets import Secret

DEFAULT_NAME = "default"
"""The account rows without an account go to (when several are configured)."""
RESERVED_NAMES = frozenset({"processing", "done", "failed"})
"""Inbox folder names that cannot be account names (an account's inbox is `inbox/<name>/`)."""
ACCOUNT_KEYS = ("username", "portal_url", "workers", "min_submit_interval_s", "enterprise", "hosts")
_NAME = re.compile(r"[\w-]+")


class AccountConfigError(ValueError):
    """An `[accounts.<name>]` table cannot be used; the message is for users (Chinese)."""


@dataclass(frozen=True)
class Account:
    """One portal account the robot works rows under."""

    name: str
    """The table's name (`[accounts.<name>]`), or `default` for the single account of `[corobot]`."""
    username: str
    password: Secret = field(default_factory=lambda: Secret(""))
    portal_url: str | None = None
    """None = the global portal_url."""
    workers: int | None = None
    """None = the global workers."""
    min_submit_interval_s: float | None = None
    """None = the global min_submit_interval_s."""
    enterprise: str = ""
    """The enterprise name the portal must show after login; empty = not checked."""
    implicit: bool = False
    """True for the single account of `[corobot]` (today's configuration)."""
    label: str = ""
    """How reports, logs and notifications name the account (the table name; the username for the
    single account of today's configuration)."""
    hosts: tuple[str, ...] = ()
    """The robot hosts that work this account's rows from a shared queue (`hosts = [...]`); empty = any."""

    def names(self) -> tuple[str, ...]:
        """What a 账号 cell or --account may say to mean this account."""
        return tuple(dict.fromkeys(n for n in (self.label, self.name, self.username) if n))


def password_env(name: str) -> str:
    """`CO_PASSWORD_<NAME>`: the environment variable holding the password of account `name`."""
    return "CO_PASSWORD_" + re.sub(r"[^0-9A-Za-z]", "_", name).upper()


def parse_accounts(
    tables: Any, env: Mapping[str, str], keyring_password: Callable[[str], Secret]
) -> tuple[Account, ...]:
    """The accounts of `[accounts.<name>]` tables (validated; passwords from env or keyring)."""
    if not tables:
        return ()
    if not isinstance(tables, Mapping):
        raise AccountConfigError("[accounts] 应写成 [accounts.<名称>] 表，每个账号一个表")
    accounts: list[Account] = []
    for name, table in tables.items():
        where = f"[accounts.{name}]"
        if not _NAME.fullmatch(name) or name.lower() in RESERVED_NAMES:
            raise AccountConfigError(
                f"{where}：账号名称只能由字母、数字、汉字、_ 和 - 组成，且不能是 {'、'.join(sorted(RESERVED_NAMES))}"
            )
        if not isinstance(table, Mapping):
            raise AccountConfigError(f"{where} 应是一个表（username = …）")
        unknown = sorted(set(table) - set(ACCOUNT_KEYS))
        if "password" in unknown:
            raise AccountConfigError(
                f"{where}：密码不能写在配置文件中，请放在环境变量 {password_env(name)} "
                f"或系统钥匙串（python -m keyring set corobot 账号）"
            )
        if unknown:
            raise AccountConfigError(f"{where} 中有未知的设置：{'、'.join(unknown)}（可用：{'、'.join(ACCOUNT_KEYS)}）")
        username = str(table.get("username", "")).strip()
        if not username:
            raise AccountConfigError(f"{where} 缺少 username（门户账号）")
        try:
            workers = int(table["workers"]) if "workers" in table else None
            interval = float(table["min_submit_interval_s"]) if "min_submit_interval_s" in table else None
        except (TypeError, ValueError) as error:
            raise AccountConfigError(f"{where}：workers 应为整数，min_submit_interval_s 应为秒数") from error
        password = Secret(env.get(password_env(name), "")) or keyring_password(username)
        portal = str(table.get("portal_url", "")).strip() or None
        hosts = table.get("hosts", [])
        if isinstance(hosts, str) or not all(isinstance(h, str) for h in hosts):
            raise AccountConfigError(f'{where}：hosts 应写成主机名的列表，如 hosts = ["pc-1", "pc-2"]')
        accounts.append(
            Account(
                name,
                username,
                password,
                portal,
                workers,
                interval,
                str(table.get("enterprise", "")).strip(),
                label=name,
                hosts=tuple(h.strip() for h in hosts if h.strip()),
            )
        )
    return tuple(accounts)
