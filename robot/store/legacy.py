"""Taking over the separate files of earlier versions into the state folder's one database (SQLite
default only): the inbox ledger `inbox.sqlite3`, the console's `console.sqlite3` (run origins) and
`console-users.json` (console accounts). Their rows are copied (a row already in the database wins),
then the file is renamed to `<name>.migrated` — kept, never deleted — so the copy happens once.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Table, create_engine, inspect, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection, Engine

from robot.store.db import writing
from robot.store.schema import console_users, inbox_files, inbox_reads, inbox_retries, origins

SQLITE_FILES = {
    "inbox.sqlite3": (inbox_files, inbox_reads, inbox_retries),
    "console.sqlite3": (origins,),
}
USERS_FILE = "console-users.json"
DONE_SUFFIX = ".migrated"


def import_legacy_files(engine: Engine, state_dir: Path) -> list[str]:
    """Copies what the older files of `state_dir` hold into `engine`; returns the names taken over."""
    names = [name for name in (*SQLITE_FILES, USERS_FILE) if (Path(state_dir) / name).exists()]
    if not names:
        return []
    taken: list[str] = []
    with writing(engine) as conn:  # one process at a time; a file another one took is gone by now
        for name in names:
            path = Path(state_dir) / name
            if not path.exists():
                continue
            if name == USERS_FILE:
                _copy_users(conn, path)
            else:
                _copy_tables(conn, path, SQLITE_FILES[name])
            taken.append(name)
    # Renamed only once the copy is committed: a copy cut short (or a rename that did not happen) leaves the
    # old files where they are and the next start copies them again, harmlessly (rows already there are
    # skipped: on_conflict_do_nothing).
    for name in taken:
        path = Path(state_dir) / name
        path.replace(path.with_name(name + DONE_SUFFIX))
    return taken


def _copy_tables(conn: Connection, path: Path, tables: tuple[Table, ...]) -> None:
    old = create_engine(f"sqlite:///{path}")
    try:
        with old.connect() as source:
            present = set(inspect(source).get_table_names())
            for table in tables:
                if table.name not in present:
                    continue
                rows = [dict(row._mapping) for row in source.execute(select(table))]
                if rows:
                    conn.execute(insert(table).on_conflict_do_nothing(), rows)
    finally:
        old.dispose()


def _copy_users(conn: Connection, path: Path) -> None:
    users = dict(json.loads(path.read_text(encoding="utf-8")))
    rows = [{"name": str(name), "password_hash": str(stored)} for name, stored in users.items()]
    if rows:
        conn.execute(insert(console_users).on_conflict_do_nothing(), rows)
