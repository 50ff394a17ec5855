"""Storage behind one interface: the journal, run history, inbox ledger, console users and run origins
live in one database, reached through SQLAlchemy Core (robot.store.schema).

SQLite by default (`<state_dir>/journal.sqlite3`, nothing to install); PostgreSQL when several hosts
share work (setting `journal_url` = `postgresql://…`). `open_engine` gives the engine of a setting
with its schema migrated to the newest revision (Alembic, robot.store.migrate). Imports only robot.core.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from robot.store.db import engine_for
from robot.store.legacy import import_legacy_files
from robot.store.migrate import upgrade

__all__ = ["engine_for", "open_engine", "upgrade"]


def open_engine(url: str | None, state_dir: Path) -> Engine:
    """The engine of `journal_url` (None: the state folder's SQLite file), its schema at the newest
    revision; with SQLite, the data of the older separate files of the state folder is taken over once."""
    engine = engine_for(url, state_dir)
    upgrade(engine)
    if engine.dialect.name == "sqlite":
        import_legacy_files(engine, Path(state_dir))
    return engine
