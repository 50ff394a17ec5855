"""The journal: a SQLite file remembering runs and what was done for each task, across crashes.

Owns the durable state that makes re-running an input safe (no double submission). One file,
WAL mode, autocommit with synchronous=FULL: every write is committed before the method returns,
so it survives SIGKILL. One connection guarded by a lock, usable from several worker threads.

Entries are keyed by `Task.key` (authority | 证明号 | exported | sorted numbers). State machine::

    (none) --record_intent--> intent --record_submitted--> submitted --record_status--> submitted
                                 |                            (status 已申报 -> 海关接收成功/失败)
                                 +----record_failed---------> failed --record_intent--> intent ...

- intent: written and committed BEFORE the submit click. An entry still in `intent` at start-up
  (`unfinished()`) means the submit may or may not have reached the portal: the runner must look
  the certificate up in the portal before submitting again.
- submitted: the portal accepted the submit; `status` is the portal's 补录状态. `awaiting_final()`
  lists submitted entries whose status is not final (not 海关接收成功/海关接收失败).
- failed: a business failure (the portal or the data said no); `message` says why. A later run
  may try again (record_intent).
- record_status on an `intent` entry promotes it to submitted (the portal shows it, so it was sent).

Every state change is also appended to `events` (history of a key, for audits).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from loguru import logger

from robot.core.model import FINAL_STATUSES, Authority, Task

INTENT = "intent"
SUBMITTED = "submitted"
FAILED = "failed"
STATES = (INTENT, SUBMITTED, FAILED)

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    input_path TEXT NOT NULL,
    input_sha256 TEXT NOT NULL,
    dry_run INTEGER NOT NULL,
    counts TEXT,
    report_path TEXT,
    exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    authority TEXT NOT NULL,
    cert_no TEXT NOT NULL,
    exported INTEGER NOT NULL,
    declaration_nos TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    run_id INTEGER,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_state ON entries(state);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    run_id INTEGER,
    state TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_key ON events(key);
"""

ENTRY_COLUMNS = "key, authority, cert_no, exported, declaration_nos, state, status, message, run_id, updated_at"

JOURNAL_NAME = "journal.sqlite3"
"""The journal's file name inside the state folder."""


@dataclass(frozen=True)
class Entry:
    """What the journal knows about one task key."""

    key: str
    authority: Authority
    cert_no: str
    exported: bool
    declaration_nos: tuple[str, ...]
    state: str
    status: str
    message: str
    run_id: int | None
    updated_at: datetime


@dataclass(frozen=True)
class RunRecord:
    """One run of the robot over an input file."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    input_path: Path
    input_sha256: str
    dry_run: bool
    counts: dict[str, int]
    report_path: Path | None
    exit_code: int | None


@dataclass(frozen=True)
class Event:
    """One state change of a key (history)."""

    key: str
    run_id: int | None
    state: str
    status: str
    message: str
    at: datetime


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file (identifies the input of a run)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Journal:
    """The SQLite journal at `path` (created with its folder when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- runs ------------------------------------------------------------------------------------
    def start_run(self, input_path: Path, input_sha256: str, dry_run: bool) -> int:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO runs (started_at, input_path, input_sha256, dry_run) VALUES (?, ?, ?, ?)",
                (_now(), str(input_path), input_sha256, int(dry_run)),
            )
            run_id = int(cur.lastrowid or 0)
        logger.debug("journal: run {} started for {}", run_id, input_path)
        return run_id

    def finish_run(
        self, run_id: int, counts: dict[str, int], report_path: Path | None, exit_code: int
    ) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE runs SET finished_at = ?, counts = ?, report_path = ?, exit_code = ? WHERE id = ?",
                (_now(), json.dumps(counts, ensure_ascii=False),
                 None if report_path is None else str(report_path), exit_code, run_id),
            )

    def move_report(self, run_id: int, report_path: Path) -> None:
        """The run's report now lives at `report_path` (corobot watch moves it to done/ or failed/)."""
        with self._lock:
            self._db.execute("UPDATE runs SET report_path = ? WHERE id = ?", (str(report_path), run_id))

    def runs(self, last: int = 10) -> list[RunRecord]:
        """The `last` most recent runs, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, started_at, finished_at, input_path, input_sha256, dry_run, counts, report_path,"
                " exit_code FROM runs ORDER BY id DESC LIMIT ?", (last,),
            ).fetchall()
        return [
            RunRecord(
                id=r[0], started_at=datetime.fromisoformat(r[1]),
                finished_at=datetime.fromisoformat(r[2]) if r[2] else None,
                input_path=Path(r[3]), input_sha256=r[4], dry_run=bool(r[5]),
                counts=json.loads(r[6]) if r[6] else {},
                report_path=Path(r[7]) if r[7] else None, exit_code=r[8],
            )
            for r in rows
        ]

    # -- entries ---------------------------------------------------------------------------------
    def get(self, key: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE key = ?", (key,)).fetchone()
        return _entry(row) if row else None

    def record_intent(self, run_id: int, task: Task) -> None:
        """Call and let it return BEFORE clicking submit."""
        previous = self.get(task.key)
        if previous is not None and previous.state == SUBMITTED:
            logger.warning("journal: intent for {} which was already submitted (run {})", task.key, previous.run_id)
        self._put(run_id, task, INTENT, "", "")

    def record_submitted(self, run_id: int, task: Task, status: str) -> None:
        self._put(run_id, task, SUBMITTED, status, "")

    def record_failed(self, run_id: int, task: Task, message: str) -> None:
        self._put(run_id, task, FAILED, "", message)

    def record_status(self, key: str, status: str, message: str) -> None:
        """The portal's 补录状态 (and 回执说明) for a key seen in the portal; raises KeyError if unknown."""
        with self._lock:
            entry = self.get(key)
            if entry is None:
                raise KeyError(key)
            state = SUBMITTED if entry.state == INTENT else entry.state
            now = _now()
            with self._tx():
                self._db.execute(
                    "UPDATE entries SET state = ?, status = ?, message = ?, updated_at = ? WHERE key = ?",
                    (state, status, message, now, key),
                )
                self._event(key, entry.run_id, state, status, message, now)

    def unfinished(self) -> list[Entry]:
        """Entries in state intent: a submit may or may not have been sent."""
        return self._select("WHERE state = ? ORDER BY updated_at, key", (INTENT,))

    def awaiting_final(self) -> list[Entry]:
        """Submitted entries whose 补录状态 is not final yet."""
        finals = sorted(FINAL_STATUSES)
        marks = ", ".join("?" for _ in finals)
        return self._select(f"WHERE state = ? AND status NOT IN ({marks}) ORDER BY updated_at, key",
                            (SUBMITTED, *finals))

    def history(self, key: str) -> list[Event]:
        """Every state change of `key`, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, run_id, state, status, message, at FROM events WHERE key = ? ORDER BY id", (key,)
            ).fetchall()
        return [Event(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5])) for r in rows]

    # -- internals -------------------------------------------------------------------------------
    def _put(self, run_id: int, task: Task, state: str, status: str, message: str) -> None:
        now = _now()
        with self._lock, self._tx():
            self._db.execute(
                f"INSERT INTO entries ({ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET state = excluded.state, status = excluded.status,"
                " message = excluded.message, run_id = excluded.run_id, updated_at = excluded.updated_at",
                (task.key, task.authority.value, task.cert_no, int(task.exported),
                 json.dumps(list(task.declaration_nos)), state, status, message, run_id, now),
            )
            self._event(task.key, run_id, state, status, message, now)

    @contextmanager
    def _tx(self) -> Iterator[None]:
        """One committed transaction (the caller holds the lock)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _event(self, key: str, run_id: int | None, state: str, status: str, message: str, at: str) -> None:
        self._db.execute(
            "INSERT INTO events (key, run_id, state, status, message, at) VALUES (?, ?, ?, ?, ?, ?)",
            (key, run_id, state, status, message, at),
        )

    def _select(self, where: str, params: tuple[object, ...]) -> list[Entry]:
        with self._lock:
            rows = self._db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries {where}", params).fetchall()
        return [_entry(r) for r in rows]


def _entry(row: tuple[object, ...]) -> Entry:
    key, authority, cert_no, exported, numbers, state, status, message, run_id, updated_at = row
    return Entry(
        key=str(key), authority=Authority(str(authority)), cert_no=str(cert_no), exported=bool(exported),
        declaration_nos=tuple(json.loads(str(numbers))), state=str(state), status=str(status),
        message=str(message), run_id=None if run_id is None else int(run_id),  # type: ignore[call-overload]
        updated_at=datetime.fromisoformat(str(updated_at)),
    )
