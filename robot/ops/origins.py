"""Who started the work on a file content: a person in the web console (上传：name) — by SHA-256, so
that the console's 历史 can say it beside the journal's runs (which know the file, not the person).

A small SQLite table in `<state_dir>/console.sqlite3`; runs without an entry came from the inbox or
the command line.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

ORIGINS_NAME = "console.sqlite3"


class Origins:
    def __init__(self, state_dir: Path) -> None:
        Path(state_dir).mkdir(parents=True, exist_ok=True)
        self.path = Path(state_dir) / ORIGINS_NAME

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        db.execute(
            "CREATE TABLE IF NOT EXISTS origins (sha256 TEXT PRIMARY KEY, origin TEXT NOT NULL, at TEXT NOT NULL)"
        )
        return db

    def record(self, sha256: str, origin: str) -> None:
        db = self._db()
        try:
            db.execute(
                "INSERT INTO origins (sha256, origin, at) VALUES (?, ?, ?) ON CONFLICT(sha256) DO UPDATE"
                " SET origin = excluded.origin, at = excluded.at",
                (sha256, origin, datetime.now().astimezone().isoformat(timespec="seconds")),
            )
        finally:
            db.close()

    def all(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        db = self._db()
        try:
            return dict(db.execute("SELECT sha256, origin FROM origins").fetchall())
        finally:
            db.close()
