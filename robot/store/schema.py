"""The tables of the store, one SQLAlchemy `metadata` (the queue's tables join it in
robot.store.queue_schema). Times are ISO 8601 text with the offset, as the journal always wrote them.

- runs, entries, events: the journal (robot.engine.journal) — runs of the robot, what was done for each
  task key (intent → submitted | failed) and every state change.
- inbox_files, inbox_reads, inbox_retries: the inbox ledger (robot.ops.inbox_ledger).
- console_users: web console accounts and their scrypt hashes (robot.console.users).
- origins: who started the work on a file content in the console (robot.ops.origins).

The migrations (robot/store/migrations) create these; a change here needs a new revision there.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, Table, Text

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text),
    Column("input_path", Text, nullable=False),
    Column("input_sha256", Text, nullable=False),
    Column("dry_run", Boolean, nullable=False),
    Column("counts", Text),
    Column("report_path", Text),
    Column("exit_code", Integer),
    Column("accounts", Text, nullable=False, server_default=""),
    sqlite_autoincrement=True,
)

entries = Table(
    "entries",
    metadata,
    Column("key", Text, primary_key=True),
    Column("authority", Text, nullable=False),
    Column("cert_no", Text, nullable=False),
    Column("exported", Boolean, nullable=False),
    Column("declaration_nos", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("status", Text, nullable=False, server_default=""),
    Column("message", Text, nullable=False, server_default=""),
    Column("run_id", Integer),
    Column("updated_at", Text, nullable=False),
    Column("portal_url", Text, nullable=False, server_default=""),
    Column("account", Text, nullable=False, server_default=""),
)
Index("entries_state", entries.c.state)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False),
    Column("run_id", Integer),
    Column("state", Text, nullable=False),
    Column("status", Text, nullable=False, server_default=""),
    Column("message", Text, nullable=False, server_default=""),
    Column("at", Text, nullable=False),
    sqlite_autoincrement=True,
)
Index("events_key", events.c.key)

inbox_files = Table(
    "inbox_files",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("placed", Text, nullable=False),
    Column("report", Text),
    Column("exit_code", Integer),
    Column("taken_at", Text, nullable=False),
    Column("finished_at", Text),
)

inbox_reads = Table(
    "inbox_reads",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("started_at", Text, nullable=False),
)

inbox_retries = Table(
    "inbox_retries",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("due_at", Text, nullable=False),
)

console_users = Table(
    "console_users",
    metadata,
    Column("name", Text, primary_key=True),
    Column("password_hash", Text, nullable=False),
)

origins = Table(
    "origins",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("origin", Text, nullable=False),
    Column("at", Text, nullable=False),
)
