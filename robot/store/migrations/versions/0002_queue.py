"""The shared work queue of several hosts (robot.store.queue): queue_books, queue_rows, hosts.

Created on every back end so that the schema is one; only a PostgreSQL `journal_url` uses them.

Revision ID: 0002_queue
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_queue"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    op.create_table(
        "queue_books",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("account", sa.Text, nullable=False, server_default=""),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("queued_at", when, nullable=False, server_default=sa.func.now()),
        sa.Column("finished_at", when),
        sa.Column("finished_by", sa.Text),
        sa.Column("report", sa.Text),
        sa.Column("exit_code", sa.Integer),
    )
    op.create_table(
        "queue_rows",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("book_id", sa.Integer, sa.ForeignKey("queue_books.id", ondelete="CASCADE"), nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="queued"),
        sa.Column("host", sa.Text),
        sa.Column("expires_at", when),
        sa.Column("not_before", when),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("result", sa.Text),
        sa.Column("message", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("processed_at", when),
        sa.Column("retry_later", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("book_id", "row", name="queue_rows_book_row"),
    )
    op.create_index("queue_rows_claim", "queue_rows", ["state", "account"])
    op.create_index("queue_rows_host", "queue_rows", ["host"])
    op.create_table(
        "hosts",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("accounts", sa.JSON, nullable=False),
        sa.Column("started_at", when, nullable=False, server_default=sa.func.now()),
        sa.Column("last_heartbeat", when, nullable=False, server_default=sa.func.now()),
        sa.Column("stopped", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("hosts")
    op.drop_index("queue_rows_host", "queue_rows")
    op.drop_index("queue_rows_claim", "queue_rows")
    op.drop_table("queue_rows")
    op.drop_table("queue_books")
