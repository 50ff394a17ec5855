"""Opening the journal for a configuration: the journal of the state folder, with a journal of the
single-account version migrated on first start (robot.engine.journal_migrate), and the scope of one
account's settings (its portal address and username)."""

from __future__ import annotations

from robot.core.account_settings import legacy_account, settings_for
from robot.core.config import Settings
from robot.engine.journal import JOURNAL_NAME, Journal
from robot.engine.journal_scope import Scope


def scope_of(settings: Settings) -> Scope:
    """The journal scope of an account's settings: its portal address and username."""
    return Scope(settings.portal_url, settings.username)


def open_journal(settings: Settings) -> Journal:
    """The journal of the state folder; one of the single-account version is migrated on first start
    (its rows attributed to the configured single account and portal)."""
    journal = Journal(settings.state_dir / JOURNAL_NAME)
    account = legacy_account(settings)
    if account is not None:
        journal.adopt_legacy(scope_of(settings_for(settings, account)), account.label)
    return journal
