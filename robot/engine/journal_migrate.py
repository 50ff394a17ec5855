"""Migration of a journal written before several accounts: rows then recorded carry no portal
address and no account. On first start they are attributed to the configured single account and
portal (their keys get its prefix, robot.engine.journal_scope), and older runs to its label. The
migration is one transaction and is a no-op once done; a journal is never migrated back.
"""

from __future__ import annotations

import json
import sqlite3

from robot.engine.journal_scope import Scope

ENTRY_COLUMNS = (("portal_url", "TEXT NOT NULL DEFAULT ''"), ("account", "TEXT NOT NULL DEFAULT ''"))
RUN_COLUMNS = (("accounts", "TEXT NOT NULL DEFAULT ''"),)


def add_columns(db: sqlite3.Connection) -> None:
    """Adds the columns a journal of the single-account version lacks (nothing else changes)."""
    for table, wanted in (("entries", ENTRY_COLUMNS), ("runs", RUN_COLUMNS)):
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for name, kind in wanted:
            if name not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def legacy_count(db: sqlite3.Connection) -> int:
    """Entries not yet attributed to a portal and an account."""
    return int(db.execute("SELECT count(*) FROM entries WHERE portal_url = ''").fetchone()[0])


def attribute_legacy(db: sqlite3.Connection, scope: Scope, label: str) -> int:
    """Gives every unattributed entry (and its events) the scope's key prefix, and every run without
    accounts the label; returns how many entries moved. The caller holds a transaction."""
    keys = [row[0] for row in db.execute("SELECT key FROM entries WHERE portal_url = ''")]
    for key in keys:
        new = scope.prefix + key
        db.execute(
            "UPDATE entries SET key = ?, portal_url = ?, account = ? WHERE key = ?",
            (new, scope.portal, scope.account, key),
        )
        db.execute("UPDATE events SET key = ? WHERE key = ?", (new, key))
    labels = json.dumps([label] if label else [], ensure_ascii=False)
    db.execute("UPDATE runs SET accounts = ? WHERE accounts = ''", (labels,))
    return len(keys)
