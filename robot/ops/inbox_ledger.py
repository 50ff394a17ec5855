"""The inbox ledger: which file contents (SHA-256) `corobot watch` has taken, and where they ended.

A small SQLite file `<state_dir>/inbox.sqlite3`, committed on every write. It lets watch recognise
the same content dropped again (under any name) and report it instead of running it twice, and it
counts the runs of a workbook whose rows were left 待重试 (system errors) and when it is due again. It also
marks a content while it is being read: a mark found after a restart means the robot stopped while reading
it (robot.ops.inbox.read_check then reads it only in a child process).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

LEDGER_NAME = "inbox.sqlite3"
PROCESSING = "processing"

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_files (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    placed TEXT NOT NULL,
    report TEXT,
    exit_code INTEGER,
    taken_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS inbox_reads (
    sha256 TEXT PRIMARY KEY,
    started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inbox_retries (
    sha256 TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    due_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class LedgerEntry:
    sha256: str
    name: str
    state: str
    """processing, done or failed."""
    placed: Path
    report: Path | None
    exit_code: int | None
    taken_at: datetime
    finished_at: datetime | None


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class InboxLedger:
    def __init__(self, state_dir: Path) -> None:
        Path(state_dir).mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(Path(state_dir) / LEDGER_NAME, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def get(self, sha256: str) -> LedgerEntry | None:
        row = self._db.execute(
            "SELECT sha256, name, state, placed, report, exit_code, taken_at, finished_at FROM inbox_files"
            " WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        if row is None:
            return None
        return LedgerEntry(
            row[0],
            row[1],
            row[2],
            Path(row[3]),
            Path(row[4]) if row[4] else None,
            row[5],
            datetime.fromisoformat(row[6]),
            datetime.fromisoformat(row[7]) if row[7] else None,
        )

    def take(self, sha256: str, name: str, placed: Path) -> None:
        """The content is being worked (in processing/); a file resumed after a crash keeps its entry."""
        self._db.execute(
            "INSERT INTO inbox_files (sha256, name, state, placed, taken_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(sha256) DO UPDATE SET state = excluded.state, placed = excluded.placed",
            (sha256, name, PROCESSING, str(placed), _now()),
        )

    def finish(self, sha256: str, state: str, placed: Path, report: Path | None, exit_code: int) -> None:
        self._db.execute(
            "UPDATE inbox_files SET state = ?, placed = ?, report = ?, exit_code = ?, finished_at = ? WHERE sha256 = ?",
            (state, str(placed), str(report) if report else None, exit_code, _now(), sha256),
        )

    def retry_due(self, sha256: str) -> tuple[int, datetime | None]:
        """Runs so far that left rows 待重试, and when the next may start (None: no such run yet)."""
        row = self._db.execute("SELECT attempts, due_at FROM inbox_retries WHERE sha256 = ?", (sha256,)).fetchone()
        return (0, None) if row is None else (int(row[0]), datetime.fromisoformat(row[1]))

    def note_retry(self, sha256: str, due_at: datetime) -> int:
        """One more run left rows 待重试; the next may start at `due_at`. Returns the runs so far."""
        attempts = self.retry_due(sha256)[0] + 1
        self._db.execute(
            "INSERT INTO inbox_retries (sha256, attempts, due_at) VALUES (?, ?, ?)"
            " ON CONFLICT(sha256) DO UPDATE SET attempts = excluded.attempts, due_at = excluded.due_at",
            (sha256, attempts, due_at.isoformat(timespec="seconds")),
        )
        return attempts

    def start_reading(self, sha256: str) -> None:
        """The content is being read now (cleared by `done_reading`)."""
        self._db.execute("INSERT OR REPLACE INTO inbox_reads (sha256, started_at) VALUES (?, ?)", (sha256, _now()))

    def done_reading(self, sha256: str) -> None:
        self._db.execute("DELETE FROM inbox_reads WHERE sha256 = ?", (sha256,))

    def was_reading(self, sha256: str) -> bool:
        """True when a read of the content started and never finished (the robot stopped meanwhile)."""
        return self._db.execute("SELECT 1 FROM inbox_reads WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def clear_retry(self, sha256: str) -> None:
        self._db.execute("DELETE FROM inbox_retries WHERE sha256 = ?", (sha256,))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> InboxLedger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
