"""Which accounts a configuration has, which one is the default, and the settings of one account.

`accounts_of` is the one list every command works from: the `[accounts.<name>]` tables, plus the
single account of `[corobot]` (today's configuration, named `default`) when its username is set or no
table exists. `settings_for` gives the Settings a worker of one account runs with: its username,
password, portal address, enterprise check and politeness, within the global max_workers.
"""

from __future__ import annotations

import socket
from dataclasses import replace

from robot.core.accounts import DEFAULT_NAME, Account
from robot.core.config import Settings


def accounts_of(settings: Settings) -> list[Account]:
    """Every configured account, the single account of today's configuration included."""
    tables = list(settings.accounts)
    if tables and (not settings.username or any(a.name == DEFAULT_NAME for a in tables)):
        return tables
    label = settings.username if not tables and settings.username else DEFAULT_NAME
    single = Account(
        DEFAULT_NAME,
        settings.username,
        settings.password,
        settings.portal_url,
        None,
        None,
        settings.enterprise,
        implicit=True,
        label=label,
    )
    return [single, *tables]


def default_account(accounts: list[Account]) -> Account | None:
    """The account rows without one go to: the only one, else the one named `default`, else none."""
    if len(accounts) == 1:
        return accounts[0]
    return next((a for a in accounts if a.name == DEFAULT_NAME), None)


def find_account(accounts: list[Account], text: str) -> Account | None:
    """The account a 账号 cell or --account names (its name, label or username; case ignored on a miss)."""
    wanted = text.strip()
    for exact in (True, False):
        for account in accounts:
            if any(n == wanted if exact else n.casefold() == wanted.casefold() for n in account.names()):
                return account
    return None


def settings_for(settings: Settings, account: Account) -> Settings:
    """The settings one account's workers run with (its own login, address and politeness)."""
    workers = account.workers if account.workers is not None else settings.workers
    return replace(
        settings,
        username=account.username,
        password=account.password,
        portal_url=account.portal_url or settings.portal_url,
        enterprise=account.enterprise,
        workers=max(1, min(workers, settings.max_workers)),
        min_submit_interval_s=(
            settings.min_submit_interval_s if account.min_submit_interval_s is None else account.min_submit_interval_s
        ),
        account="" if account.implicit else account.name,
    )


def legacy_account(settings: Settings) -> Account | None:
    """The account a journal of the single-account version is attributed to (None when unclear)."""
    return default_account(accounts_of(settings))


class UnknownAccount(ValueError):
    """`--account NAME` names no configured account; the message is for users (Chinese)."""


def chosen_accounts(settings: Settings, name: str | None) -> list[Account]:
    """The account `--account NAME` names, or every configured account without the flag."""
    accounts = accounts_of(settings)
    if not name:
        return accounts
    account = find_account(accounts, name)
    if account is None:
        raise UnknownAccount(f"未配置的账号：{name}（已配置：{'、'.join(a.label for a in accounts)}）")
    return [account]


def host_name(settings: Settings) -> str:
    """This host's name in a shared queue: the setting host_name, else the machine's host name."""
    return settings.host_name.strip() or socket.gethostname()


def host_accounts(settings: Settings) -> list[Account]:
    """The accounts this host works from a shared queue: those whose `hosts` list is empty or names it,
    narrowed to the setting host_accounts (names, labels or usernames) when that is set."""
    name = host_name(settings)
    mine = [a for a in accounts_of(settings) if not a.hosts or name in a.hosts]
    own = {n.strip() for n in settings.host_accounts.split(",") if n.strip()}
    return [a for a in mine if own & set(a.names())] if own else mine
