"""Migrations of the store's schema (Alembic; the revisions in robot/store/migrations/versions).

`upgrade(engine)` brings a database to the newest revision. A SQLite journal of earlier versions
(tables, no alembic_version) is recognised by revision 0001, which keeps its rows and adds only what
is missing. The run is one transaction that several processes or hosts may start at once: SQLite's
`BEGIN IMMEDIATE` and PostgreSQL's advisory lock let one migrate while the others wait.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

from robot.store.db import writing

MIGRATIONS = Path(__file__).with_name("migrations")
LOCK_KEY = 0x636F726F626F74  # "corobot": the advisory lock of a PostgreSQL migration


def config() -> Config:
    """The Alembic configuration of the store (script location inside the package)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def head() -> str:
    """The newest revision."""
    return str(ScriptDirectory.from_config(config()).get_current_head())


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Runs the migrations up to the newest revision (nothing when the database is there already)."""
    if current(engine) == head():
        return
    cfg = config()
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
