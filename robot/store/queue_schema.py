"""The tables of the shared work queue (PostgreSQL only; robot.store.queue), on the storage layer's
`metadata`. Created by the Alembic revision `0002_queue`.

- `queue_books`: one workbook put into the queue (its content, so that any host can read it and write
  its report), who queued it, and who finished it (the host that wrote the report).
- `queue_rows`: one valid row of a queued workbook with its account: `queued` → `claimed` (by a host,
  with a lease `expires_at` the host renews) → `final` (its outcome, as the report's 明细 shows it).
- `hosts`: every robot host that worked the queue: its accounts and its last heartbeat.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)

from robot.store.schema import metadata

QUEUED = "queued"
CLAIMED = "claimed"
FINAL = "final"

queue_books = Table(
    "queue_books",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("account", Text, nullable=False, server_default=""),
    Column("origin", Text, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
    Column("finished_by", Text),
    Column("report", Text),
    Column("exit_code", Integer),
)

queue_rows = Table(
    "queue_rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("book_id", Integer, ForeignKey("queue_books.id", ondelete="CASCADE"), nullable=False),
    Column("row", Integer, nullable=False),
    Column("account", Text, nullable=False),
    Column("state", String(16), nullable=False, server_default=QUEUED),
    Column("host", Text),
    Column("expires_at", DateTime(timezone=True)),
    Column("not_before", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("result", Text),
    Column("message", Text),
    Column("status", Text),
    Column("processed_at", DateTime(timezone=True)),
    Column("retry_later", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("book_id", "row", name="queue_rows_book_row"),
    Index("queue_rows_claim", "state", "account"),
    Index("queue_rows_host", "host"),
)

hosts = Table(
    "hosts",
    metadata,
    Column("name", Text, primary_key=True),
    Column("accounts", JSON, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_heartbeat", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("stopped", Boolean, nullable=False, server_default=false()),
)
