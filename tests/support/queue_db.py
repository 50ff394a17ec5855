"""A PostgreSQL engine with the store's schema migrated (the queue's tables included), and a look at the
shared queue for the tests."""

from __future__ import annotations

import sqlalchemy as sa

from robot.store.db import engine_for
from robot.store.migrate import upgrade
from robot.store.queue_schema import queue_books, queue_rows


def queue_engine(url: str) -> sa.Engine:
    engine = engine_for(url, None)  # type: ignore[arg-type]  (a PostgreSQL address needs no state folder)
    upgrade(engine)
    return engine


def reported(engine: sa.Engine) -> list[str]:
    """The reports written so far (one per finished workbook)."""
    with engine.connect() as db:
        return [r for (r,) in db.execute(sa.select(queue_books.c.report).where(queue_books.c.report.is_not(None)))]


def rows_by_host(engine: sa.Engine) -> dict[str, int]:
    """Final rows per host that recorded them."""
    with engine.connect() as db:
        found = db.execute(
            sa.select(queue_rows.c.host, sa.func.count())
            .where(queue_rows.c.state == "final")
            .group_by(queue_rows.c.host)
        ).all()
    return {str(h): int(n) for h, n in found}
