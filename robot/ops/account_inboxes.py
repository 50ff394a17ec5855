"""The inboxes of `corobot watch` with several accounts: the inbox itself (rows go to the 账号 they
name, else the default account) and one subfolder `inbox/<name>/` per `[accounts.<name>]`, whose
workbooks' rows go to that account unless they name another. Each has its own processing/, done/
and failed/ inside."""

from __future__ import annotations

from pathlib import Path

from robot.core.account_settings import accounts_of
from robot.core.config import Settings


def account_inboxes(settings: Settings) -> list[tuple[str | None, Path]]:
    """(account name or None, folder) of every inbox watch looks at, the main inbox first."""
    root = Path(settings.inbox_dir)
    return [(None, root)] + [(a.name, root / a.name) for a in accounts_of(settings) if not a.implicit]
