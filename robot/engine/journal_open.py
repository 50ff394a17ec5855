"""Opening the journal for a configuration: the journal of `journal_url` (unset: the state folder's
SQLite file), with a journal of the single-account version migrated on first start
(robot.engine.journal_migrate), and the scope of one account's settings (its portal address and username)."""

from __future__ import annotations

from robot.core.account_settings import legacy_account, settings_for
from robot.core.config import Settings
from robot.engine.journal import JOURNAL_NAME, Journal
from robot.engine.journal_scope import Scope


def scope_of(settings: Settings) -> Scope:
    """The journal scope of an account's settings: its portal address and username."""
    return Scope(settings.portal_url, settings.username)


def journal_at(settings: Settings) -> Journal:
    """The journal the settings name: the database of `journal_url`, else `<state_dir>/journal.sqlite3`."""
    return Journal(settings.journal_url or settings.state_dir / JOURNAL_NAME)


def has_journal(settings: Settings) -> bool:
    """Whether there is a journal to read (a `journal_url` always counts; a SQLite file once written)."""
    return bool(settings.journal_url) or (settings.state_dir / JOURNAL_NAME).exists()


def open_journal(settings: Settings) -> Journal:
    """The journal of the settings (`journal_at`); one of the single-account version is migrated on first
    start (its rows attributed to the configured single account and portal)."""
    journal = journal_at(settings)
    account = legacy_account(settings)
    if account is not None:
        journal.adopt_legacy(scope_of(settings_for(settings, account)), account.label)
    return journal
