"""Alembic environment of the store: runs the revisions on the connection robot.store.migrate hands
over (already inside its transaction); no alembic.ini, no logging set-up of its own."""

from __future__ import annotations

from alembic import context

import robot.store.queue_schema  # noqa: F401  (its tables join `metadata`)
from robot.store.schema import metadata


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # run by Alembic, not merely imported (tests/unit/test_layers.py)
    run()
