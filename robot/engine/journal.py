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

Several accounts: `scoped(Scope)` gives a view of the journal for one portal address and account
(robot.engine.journal_scope) with the same methods; its keys are the tasks' keys, stored with the
scope's prefix, and it sees only its own entries. A journal of the single-account version gets the
new columns when opened and its entries are attributed by `adopt_legacy` (robot.engine.journal_migrate).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType

from loguru import logger

from robot.core.model import FINAL_STATUSES, Authority, Task
from robot.engine.journal_migrate import add_columns, attribute_legacy, legacy_count
from robot.engine.journal_scope import Scope

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

ENTRY_COLUMNS = (
    "key, authority, cert_no, exported, declaration_nos, state, status, message, run_id, updated_at,"
    " portal_url, account"
)

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
    portal_url: str = ""
    account: str = ""
    """The portal address and username the entry was recorded under ("" before migration)."""


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
    accounts: tuple[str, ...] = ()
    """Labels of the accounts the run worked rows under."""


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
        add_columns(self._db)
        self.scope: Scope | None = None

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

    def scoped(self, scope: Scope) -> Journal:
        """A view of this journal for one portal address and account (shares the connection)."""
        view = copy.copy(self)
        view.scope = scope
        return view

    def adopt_legacy(self, scope: Scope, label: str) -> int:
        """Attributes entries and runs of the single-account version to `scope` (once); returns how many
        entries moved."""
        with self._lock:
            if (
                not legacy_count(self._db)
                and not self._db.execute("SELECT 1 FROM runs WHERE accounts = '' LIMIT 1").fetchone()
            ):
                return 0
            with self._tx():
                moved = attribute_legacy(self._db, scope, label)
        if moved:
            logger.info(
                "运行记录迁移：{} 条以前的记录归属于 门户 {} 账号 {}", moved, scope.portal, scope.account or "-"
            )
        return moved

    def _k(self, key: str) -> str:
        return key if self.scope is None else self.scope.prefix + key

    # -- runs ------------------------------------------------------------------------------------
    def start_run(self, input_path: Path, input_sha256: str, dry_run: bool, accounts: tuple[str, ...] = ()) -> int:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO runs (started_at, input_path, input_sha256, dry_run, accounts) VALUES (?, ?, ?, ?, ?)",
                (_now(), str(input_path), input_sha256, int(dry_run), json.dumps(list(accounts), ensure_ascii=False)),
            )
            run_id = int(cur.lastrowid or 0)
        logger.debug("journal: run {} started for {}", run_id, input_path)
        return run_id

    def finish_run(self, run_id: int, counts: dict[str, int], report_path: Path | None, exit_code: int) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE runs SET finished_at = ?, counts = ?, report_path = ?, exit_code = ? WHERE id = ?",
                (
                    _now(),
                    json.dumps(counts, ensure_ascii=False),
                    None if report_path is None else str(report_path),
                    exit_code,
                    run_id,
                ),
            )

    def move_report(self, run_id: int, report_path: Path) -> None:
        """The run's report now lives at `report_path` (corobot watch moves it to done/ or failed/)."""
        with self._lock:
            self._db.execute("UPDATE runs SET report_path = ? WHERE id = ?", (str(report_path), run_id))

    def runs(self, last: int = 10, account: str | None = None) -> list[RunRecord]:
        """The `last` most recent runs (of `account`, a label, when given), newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, started_at, finished_at, input_path, input_sha256, dry_run, counts, report_path,"
                " exit_code, accounts FROM runs ORDER BY id DESC" + ("" if account else " LIMIT ?"),
                () if account else (last,),
            ).fetchall()
        if account:
            rows = [r for r in rows if account in _labels(r[9])][:last]
        return [
            RunRecord(
                id=r[0],
                started_at=datetime.fromisoformat(r[1]),
                finished_at=datetime.fromisoformat(r[2]) if r[2] else None,
                input_path=Path(r[3]),
                input_sha256=r[4],
                dry_run=bool(r[5]),
                counts=json.loads(r[6]) if r[6] else {},
                report_path=Path(r[7]) if r[7] else None,
                exit_code=r[8],
                accounts=_labels(r[9]),
            )
            for r in rows
        ]

    # -- entries ---------------------------------------------------------------------------------
    def get(self, key: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE key = ?", (self._k(key),)).fetchone()
        return self._entry(row) if row else None

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
                    (state, status, message, now, self._k(key)),
                )
                self._event(self._k(key), entry.run_id, state, status, message, now)

    def unfinished(self) -> list[Entry]:
        """Entries in state intent: a submit may or may not have been sent."""
        return self._select("WHERE state = ?", (INTENT,))

    def awaiting_final(self) -> list[Entry]:
        """Submitted entries whose 补录状态 is not final yet."""
        finals = sorted(FINAL_STATUSES)
        marks = ", ".join("?" for _ in finals)
        return self._select(f"WHERE state = ? AND status NOT IN ({marks})", (SUBMITTED, *finals))

    def history(self, key: str) -> list[Event]:
        """Every state change of `key`, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, run_id, state, status, message, at FROM events WHERE key = ? ORDER BY id", (self._k(key),)
            ).fetchall()
        return [Event(key, r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5])) for r in rows]

    # -- internals -------------------------------------------------------------------------------
    def _put(self, run_id: int, task: Task, state: str, status: str, message: str) -> None:
        now = _now()
        key = self._k(task.key)
        portal, account = (self.scope.portal, self.scope.account) if self.scope else ("", "")
        with self._lock, self._tx():
            self._db.execute(
                f"INSERT INTO entries ({ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET state = excluded.state, status = excluded.status,"
                " message = excluded.message, run_id = excluded.run_id, updated_at = excluded.updated_at",
                (
                    key,
                    task.authority.value,
                    task.cert_no,
                    int(task.exported),
                    json.dumps(list(task.declaration_nos)),
                    state,
                    status,
                    message,
                    run_id,
                    now,
                    portal,
                    account,
                ),
            )
            self._event(key, run_id, state, status, message, now)

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
        """Entries matching `where` (of this view's scope only), oldest change first."""
        if self.scope is not None:
            where, params = f"{where} AND portal_url = ? AND account = ?", (*params, *self._scope_values())
        with self._lock:
            rows = self._db.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries {where} ORDER BY updated_at, key", params
            ).fetchall()
        return [self._entry(r) for r in rows]

    def _scope_values(self) -> tuple[str, str]:
        assert self.scope is not None
        return self.scope.portal, self.scope.account

    def _entry(self, row: tuple[object, ...]) -> Entry:
        """An entry as this view names it (the key without the scope's prefix)."""
        entry = _entry(row)
        if self.scope is not None and entry.key.startswith(self.scope.prefix):
            entry = replace(entry, key=entry.key[len(self.scope.prefix) :])
        return entry


def _labels(text: object) -> tuple[str, ...]:
    try:
        labels = json.loads(str(text)) if text else []
    except ValueError:
        return ()
    return tuple(str(label) for label in labels) if isinstance(labels, list) else ()


def _entry(row: tuple[object, ...]) -> Entry:
    key, authority, cert_no, exported, numbers, state, status, message, run_id, updated_at, portal, account = row
    return Entry(
        key=str(key),
        authority=Authority(str(authority)),
        cert_no=str(cert_no),
        exported=bool(exported),
        declaration_nos=tuple(json.loads(str(numbers))),
        state=str(state),
        status=str(status),
        message=str(message),
        run_id=None if run_id is None else int(str(run_id)),
        updated_at=datetime.fromisoformat(str(updated_at)),
        portal_url=str(portal),
        account=str(account),
    )
