"""Engines: the embedded SQLite file of the state folder, or a PostgreSQL server (psycopg 3).

SQLite as the journal always kept it: WAL, synchronous=FULL (a committed write survives SIGKILL and
power loss), a busy timeout of 30 s, usable from several threads. Transactions that write begin with
`BEGIN IMMEDIATE` (`writing`), so two writers queue up instead of failing on a lock upgrade.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine, make_url

DB_NAME = "journal.sqlite3"
"""The SQLite file inside the state folder (the journal's file of earlier versions, kept)."""

WRITE = "corobot_write"
"""Execution option: the transaction will write (SQLite: BEGIN IMMEDIATE)."""


PG_DEADLINE_S = 10
PG_CONNECT_ARGS = {
    "connect_timeout": PG_DEADLINE_S,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "options": "-c statement_timeout=15000 -c lock_timeout=15000",
}
"""No call to PostgreSQL waits without a deadline: connecting takes at most 10 s, a statement or a lock
15 s, and a server gone silent (half-open connection) is noticed by TCP keepalives within ~25 s; each
becomes a database error the caller handles (robot.ops.db_link), never a silent wait."""


def engine_for(url: str | None, state_dir: Path) -> Engine:
    """None or "" → the SQLite file `<state_dir>/journal.sqlite3`; `postgresql://…` → psycopg 3;
    `sqlite:///path` → that file. Raises ValueError for another kind of address."""
    if not url:
        return sqlite_engine(Path(state_dir) / DB_NAME)
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgres+psycopg"):  # the short form libpq also takes
        parsed = parsed.set(drivername="postgresql")
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            parsed.set(drivername="postgresql+psycopg"),
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=10,
            pool_timeout=PG_DEADLINE_S,
            connect_args=PG_CONNECT_ARGS,
        )
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return sqlite_engine(Path(parsed.database))
    raise ValueError(f"journal_url 只支持 postgresql://… 或 sqlite:///…：{parsed.render_as_string()}")


def sqlite_engine(path: Path) -> Engine:
    """The engine of one SQLite file (its folder created when missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # a new file is the owner's only (it holds the console's password hashes)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    else:  # so is a journal of an earlier version (often 0644) that the password hashes move into
        path.chmod(0o600)
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=False
    )
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by `_sqlite_begin`, not the driver
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One transaction that writes, committed (durably) when the block ends, rolled back on error."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction (a consistent view), ended when the block ends."""
    with engine.connect() as conn, conn.begin():
        yield conn


def upsert(conn: Connection, table: Table, row: dict[str, Any], update: Sequence[str]) -> None:
    """Inserts `row`, or, when its primary key exists, sets the columns named in `update` from it
    (INSERT … ON CONFLICT DO UPDATE in the dialect of the connection)."""
    dialect_insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(table).values(**row)
    keys = [column.name for column in table.primary_key.columns]
    conn.execute(
        statement.on_conflict_do_update(index_elements=keys, set_={name: statement.excluded[name] for name in update})
    )
