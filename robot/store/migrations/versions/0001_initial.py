"""The schema of the single-host robot: journal (runs, entries, events), inbox ledger, console users,
run origins.

Also brings a journal file of earlier versions (tables made by hand-written DDL, no alembic_version)
to this revision without touching its rows: a table that exists is kept and only gets the columns and
indexes it lacks (the portal address and account of the several-accounts version).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[tuple[str, list[sa.Column[object]], dict[str, Any]]]:
    """Each table of this revision as (name, columns, options); frozen here, as they were at 0001."""
    text, integer = sa.Text, sa.Integer
    return [
        (
            "runs",
            [
                sa.Column("id", integer, primary_key=True, autoincrement=True),
                sa.Column("started_at", text, nullable=False),
                sa.Column("finished_at", text),
                sa.Column("input_path", text, nullable=False),
                sa.Column("input_sha256", text, nullable=False),
                sa.Column("dry_run", sa.Boolean, nullable=False),
                sa.Column("counts", text),
                sa.Column("report_path", text),
                sa.Column("exit_code", integer),
                sa.Column("accounts", text, nullable=False, server_default=""),
            ],
            {"sqlite_autoincrement": True},
        ),
        (
            "entries",
            [
                sa.Column("key", text, primary_key=True),
                sa.Column("authority", text, nullable=False),
                sa.Column("cert_no", text, nullable=False),
                sa.Column("exported", sa.Boolean, nullable=False),
                sa.Column("declaration_nos", text, nullable=False),
                sa.Column("state", text, nullable=False),
                sa.Column("status", text, nullable=False, server_default=""),
                sa.Column("message", text, nullable=False, server_default=""),
                sa.Column("run_id", integer),
                sa.Column("updated_at", text, nullable=False),
                sa.Column("portal_url", text, nullable=False, server_default=""),
                sa.Column("account", text, nullable=False, server_default=""),
            ],
            {},
        ),
        (
            "events",
            [
                sa.Column("id", integer, primary_key=True, autoincrement=True),
                sa.Column("key", text, nullable=False),
                sa.Column("run_id", integer),
                sa.Column("state", text, nullable=False),
                sa.Column("status", text, nullable=False, server_default=""),
                sa.Column("message", text, nullable=False, server_default=""),
                sa.Column("at", text, nullable=False),
            ],
            {"sqlite_autoincrement": True},
        ),
        (
            "inbox_files",
            [
                sa.Column("sha256", text, primary_key=True),
                sa.Column("name", text, nullable=False),
                sa.Column("state", text, nullable=False),
                sa.Column("placed", text, nullable=False),
                sa.Column("report", text),
                sa.Column("exit_code", integer),
                sa.Column("taken_at", text, nullable=False),
                sa.Column("finished_at", text),
            ],
            {},
        ),
        (
            "inbox_reads",
            [sa.Column("sha256", text, primary_key=True), sa.Column("started_at", text, nullable=False)],
            {},
        ),
        (
            "inbox_retries",
            [
                sa.Column("sha256", text, primary_key=True),
                sa.Column("attempts", integer, nullable=False),
                sa.Column("due_at", text, nullable=False),
            ],
            {},
        ),
        (
            "console_users",
            [sa.Column("name", text, primary_key=True), sa.Column("password_hash", text, nullable=False)],
            {},
        ),
        (
            "origins",
            [
                sa.Column("sha256", text, primary_key=True),
                sa.Column("origin", text, nullable=False),
                sa.Column("at", text, nullable=False),
            ],
            {},
        ),
    ]


INDEXES = (("entries_state", "entries", "state"), ("events_key", "events", "key"))


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, columns, options in _tables():
        if not inspector.has_table(name):
            op.create_table(name, *columns, **options)
            continue
        have = {column["name"] for column in inspector.get_columns(name)}
        for column in columns:
            if column.name not in have:  # a journal of the single-account version
                op.add_column(name, column)
    for index, table, column_name in INDEXES:
        if index not in {i["name"] for i in inspector.get_indexes(table)}:
            op.create_index(index, table, [column_name])


def downgrade() -> None:
    for name, _columns, _options in reversed(_tables()):
        op.drop_table(name)
