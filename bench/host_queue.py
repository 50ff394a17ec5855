"""What the host benchmark (bench/hosts.py) reads of the shared queue in PostgreSQL: whether any row was
claimed yet, whether the report is written, and afterwards the rows per host, their results and times.

Times in the queue are the database's `now()`; the database runs on this machine, so they are on the
same clock as `time.time()`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from robot.store.db import engine_for
from robot.store.migrate import upgrade
from robot.store.queue_schema import FINAL, QUEUED, queue_books, queue_rows


def migrated_engine(url: str) -> sa.Engine:
    """An engine on the database with the store's schema (the queue's tables) in place."""
    engine = engine_for(url, None)  # type: ignore[arg-type]  (a PostgreSQL address needs no state folder)
    upgrade(engine)
    return engine


@dataclass(frozen=True)
class Progress:
    taken: int
    """Rows claimed or final."""
    final: int
    report: str | None


def progress(engine: sa.Engine) -> Progress:
    with engine.connect() as db:
        states = Counter(
            {str(s): int(n) for s, n in db.execute(sa.select(queue_rows.c.state, sa.func.count()).group_by("state"))}
        )
        report = db.execute(sa.select(queue_books.c.report).where(queue_books.c.report.is_not(None))).scalar()
    return Progress(sum(n for s, n in states.items() if s != QUEUED), states[FINAL], report)


@dataclass
class Outcome:
    """The queue after a measurement."""

    rows_by_host: dict[str, int] = field(default_factory=dict)
    """Final rows per host that recorded them."""
    results: dict[str, int] = field(default_factory=dict)
    """Final rows per 处理结果."""
    queued_at: float | None = None
    first_final: float | None = None
    last_final: float | None = None
    finished_at: float | None = None
    finished_by: str | None = None
    exit_code: int | None = None
    attempts: int = 0
    """Claims over all rows (a row claimed once counts 1)."""


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def outcome(engine: sa.Engine) -> Outcome:
    with engine.connect() as db:
        final = queue_rows.c.state == FINAL
        by_host = db.execute(
            sa.select(queue_rows.c.host, sa.func.count()).where(final).group_by(queue_rows.c.host)
        ).all()
        results = db.execute(
            sa.select(queue_rows.c.result, sa.func.count()).where(final).group_by(queue_rows.c.result)
        ).all()
        first, last, attempts = db.execute(
            sa.select(
                sa.func.min(queue_rows.c.processed_at),
                sa.func.max(queue_rows.c.processed_at),
                sa.func.coalesce(sa.func.sum(queue_rows.c.attempts), 0),
            )
        ).one()
        book: Any = db.execute(
            sa.select(
                queue_books.c.queued_at, queue_books.c.finished_at, queue_books.c.finished_by, queue_books.c.exit_code
            )
        ).first()
    done = Outcome(
        rows_by_host={str(h): int(n) for h, n in by_host},
        results={str(r): int(n) for r, n in results},
        first_final=_epoch(first),
        last_final=_epoch(last),
        attempts=int(attempts),
    )
    if book is not None:
        done.queued_at, done.finished_at = _epoch(book.queued_at), _epoch(book.finished_at)
        done.finished_by, done.exit_code = book.finished_by, book.exit_code
    return done
