"""A PostgreSQL engine with the storage layer's schema (migrations up to the queue's)."""

from __future__ import annotations

import sqlalchemy as sa

from robot.store import queue_schema  # noqa: F401  (the queue's tables on the metadata)
from robot.store.schema import metadata


def queue_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    return engine
