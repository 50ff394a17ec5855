"""Migration of a journal written before several accounts: rows then recorded carry no portal
address and no account (their columns are added empty by the store's revision 0001). On first start
they are attributed to the configured single account and portal (their keys get its prefix,
robot.engine.journal_scope), and older runs to its label. The migration is one transaction and is a
no-op once done; a journal is never migrated back.
"""

from __future__ import annotations

import json

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from robot.engine.journal_scope import Scope
from robot.store.schema import entries, events, runs


def has_legacy(conn: Connection) -> bool:
    """Whether an entry is not yet attributed to a portal and an account, or a run to accounts."""
    entry = conn.execute(select(entries.c.key).where(entries.c.portal_url == "").limit(1)).first()
    run = conn.execute(select(runs.c.id).where(runs.c.accounts == "").limit(1)).first()
    return entry is not None or run is not None


def attribute_legacy(conn: Connection, scope: Scope, label: str) -> int:
    """Gives every unattributed entry (and its events) the scope's key prefix, and every run without
    accounts the label; returns how many entries moved. The caller holds a transaction."""
    keys = list(conn.scalars(select(entries.c.key).where(entries.c.portal_url == "")))
    for key in keys:
        new = scope.prefix + key
        conn.execute(
            update(entries).where(entries.c.key == key).values(key=new, portal_url=scope.portal, account=scope.account)
        )
        conn.execute(update(events).where(events.c.key == key).values(key=new))
    labels = json.dumps([label] if label else [], ensure_ascii=False)
    conn.execute(update(runs).where(runs.c.accounts == "").values(accounts=labels))
    return len(keys)
