"""Storage behind one interface, SQLite by default, PostgreSQL when several hosts share work: the
journal, run history, inbox ledger, console users and run origins live in one database, reached through
SQLAlchemy Core (robot.store.schema).

SQLite by default (`<state_dir>/journal.sqlite3`, nothing to install); PostgreSQL when several hosts
share work (setting `journal_url` = `postgresql://…`). `open_engine` gives the engine of a setting
with its schema migrated to the newest revision (Alembic, robot.store.migrate). Imports only robot.core.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

from robot.store.db import DB_NAME, engine_for, sqlite_engine
from robot.store.legacy import import_legacy_files
from robot.store.migrate import upgrade

__all__ = ["engine_for", "open_engine", "open_file", "upgrade", "using"]


def open_engine(url: str | None, state_dir: Path) -> Engine:
    """The engine of `journal_url` (None: the state folder's SQLite file), its schema at the newest
    revision; the state folder's SQLite file takes over the data of the older files beside it (once)."""
    if not url:
        return open_file(Path(state_dir) / DB_NAME)
    engine = engine_for(url, state_dir)
    upgrade(engine)
    return engine


def open_file(path: Path) -> Engine:
    """The engine of one SQLite file, its schema at the newest revision; a file named journal.sqlite3
    takes over the data of the older files beside it (robot.store.legacy)."""
    engine = sqlite_engine(path)
    upgrade(engine)
    if Path(path).name == DB_NAME:
        import_legacy_files(engine, Path(path).parent)
    return engine


@contextmanager
def using(url: str | None, state_dir: Path) -> Iterator[Engine]:
    """`open_engine` for one block: the engine's connections are closed when the block ends."""
    engine = open_engine(url, state_dir)
    try:
        yield engine
    finally:
        engine.dispose()
