"""The journal: what the robot did for each task and its runs, remembered across crashes, in the store
(robot.store: the state folder's SQLite file by default, a shared PostgreSQL with `journal_url`).

Owns the durable state that makes re-running an input safe (no double submission). Every write is one
transaction committed before the method returns (SQLite: WAL, synchronous=FULL), so it survives SIGKILL.
Usable from several worker threads (a lock keeps a read-then-write of one process whole).

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
new columns when opened (the store's revision 0001) and its entries are attributed by `adopt_legacy`
(robot.engine.journal_migrate).
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from loguru import logger
from sqlalchemy import ColumnElement, and_, insert, select, update
from sqlalchemy.engine import Connection, Engine, Row

from robot.core.model import FINAL_STATUSES, Authority, Task
from robot.engine.journal_migrate import attribute_legacy, has_legacy
from robot.engine.journal_scope import Scope
from robot.store import open_engine, open_file
from robot.store.db import DB_NAME, reading, upsert, writing
from robot.store.schema import entries, events, runs

INTENT = "intent"
SUBMITTED = "submitted"
FAILED = "failed"
STATES = (INTENT, SUBMITTED, FAILED)

JOURNAL_NAME = DB_NAME
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
    """The journal in the store `where` names: a SQLite file (Path, created with its folder when missing),
    a `journal_url` (str, e.g. postgresql://…) or an engine of robot.store (not disposed on close)."""

    def __init__(self, where: Path | str | Engine) -> None:
        self._owned = not isinstance(where, Engine)
        if isinstance(where, Engine):
            self.engine = where
        elif isinstance(where, str) and "://" in where:
            self.engine = open_engine(where, Path())
        else:
            self.engine = open_file(Path(where))
        self.path = Path(self.engine.url.database or "") if self.engine.dialect.name == "sqlite" else None
        self._lock = threading.RLock()
        self.scope: Scope | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._owned:
                self.engine.dispose()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def scoped(self, scope: Scope) -> Journal:
        """A view of this journal for one portal address and account (shares the engine)."""
        view = copy.copy(self)
        view.scope = scope
        return view

    def adopt_legacy(self, scope: Scope, label: str) -> int:
        """Attributes entries and runs of the single-account version to `scope` (once); returns how many
        entries moved."""
        with self._lock:
            with reading(self.engine) as conn:
                if not has_legacy(conn):
                    return 0
            with writing(self.engine) as conn:
                moved = attribute_legacy(conn, scope, label)
        if moved:
            logger.info(
                "运行记录迁移：{} 条以前的记录归属于 门户 {} 账号 {}", moved, scope.portal, scope.account or "-"
            )
        return moved

    def _k(self, key: str) -> str:
        return key if self.scope is None else self.scope.prefix + key

    # -- runs ------------------------------------------------------------------------------------
    def start_run(self, input_path: Path, input_sha256: str, dry_run: bool, accounts: tuple[str, ...] = ()) -> int:
        with self._lock, writing(self.engine) as conn:
            run_id = conn.scalar(
                insert(runs)
                .returning(runs.c.id)
                .values(
                    started_at=_now(),
                    input_path=str(input_path),
                    input_sha256=input_sha256,
                    dry_run=dry_run,
                    accounts=json.dumps(list(accounts), ensure_ascii=False),
                )
            )
        logger.debug("journal: run {} started for {}", run_id, input_path)
        return int(run_id)

    def finish_run(self, run_id: int, counts: dict[str, int], report_path: Path | None, exit_code: int) -> None:
        self._update_run(
            run_id,
            finished_at=_now(),
            counts=json.dumps(counts, ensure_ascii=False),
            report_path=None if report_path is None else str(report_path),
            exit_code=exit_code,
        )

    def move_report(self, run_id: int, report_path: Path) -> None:
        """The run's report now lives at `report_path` (corobot watch moves it to done/ or failed/)."""
        self._update_run(run_id, report_path=str(report_path))

    def _update_run(self, run_id: int, **values: Any) -> None:
        with self._lock, writing(self.engine) as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(**values))

    def runs(self, last: int = 10, account: str | None = None) -> list[RunRecord]:
        """The `last` most recent runs (of `account`, a label, when given), newest first."""
        query = select(runs).order_by(runs.c.id.desc())
        with self._lock, reading(self.engine) as conn:
            rows = list(conn.execute(query if account else query.limit(last)))
        if account:
            rows = [r for r in rows if account in _labels(r.accounts)][:last]
        return [_run(r) for r in rows]

    # -- entries ---------------------------------------------------------------------------------
    def get(self, key: str) -> Entry | None:
        with self._lock, reading(self.engine) as conn:
            row = conn.execute(select(entries).where(entries.c.key == self._k(key))).first()
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
        stored = self._k(key)
        with self._lock, writing(self.engine) as conn:
            row = conn.execute(
                select(entries.c.state, entries.c.run_id).where(entries.c.key == stored).with_for_update()
            ).first()
            if row is None:
                raise KeyError(key)
            state = SUBMITTED if row.state == INTENT else row.state
            now = _now()
            conn.execute(
                update(entries)
                .where(entries.c.key == stored)
                .values(state=state, status=status, message=message, updated_at=now)
            )
            _event(conn, stored, row.run_id, state, status, message, now)

    def unfinished(self) -> list[Entry]:
        """Entries in state intent: a submit may or may not have been sent."""
        return self._select(entries.c.state == INTENT)

    def awaiting_final(self) -> list[Entry]:
        """Submitted entries whose 补录状态 is not final yet."""
        return self._select(and_(entries.c.state == SUBMITTED, entries.c.status.not_in(sorted(FINAL_STATUSES))))

    def history(self, key: str) -> list[Event]:
        """Every state change of `key`, oldest first."""
        query = select(events).where(events.c.key == self._k(key)).order_by(events.c.id)
        with self._lock, reading(self.engine) as conn:
            rows = list(conn.execute(query))
        return [Event(key, r.run_id, r.state, r.status, r.message, datetime.fromisoformat(r.at)) for r in rows]

    # -- internals -------------------------------------------------------------------------------
    def _put(self, run_id: int, task: Task, state: str, status: str, message: str) -> None:
        now = _now()
        key = self._k(task.key)
        portal, account = (self.scope.portal, self.scope.account) if self.scope else ("", "")
        row = {
            "key": key,
            "authority": task.authority.value,
            "cert_no": task.cert_no,
            "exported": task.exported,
            "declaration_nos": json.dumps(list(task.declaration_nos)),
            "state": state,
            "status": status,
            "message": message,
            "run_id": run_id,
            "updated_at": now,
            "portal_url": portal,
            "account": account,
        }
        with self._lock, writing(self.engine) as conn:
            upsert(conn, entries, row, ("state", "status", "message", "run_id", "updated_at"))
            _event(conn, key, run_id, state, status, message, now)

    def _select(self, where: ColumnElement[bool]) -> list[Entry]:
        """Entries matching `where` (of this view's scope only), oldest change first."""
        if self.scope is not None:
            where = and_(where, entries.c.portal_url == self.scope.portal, entries.c.account == self.scope.account)
        query = select(entries).where(where).order_by(entries.c.updated_at, entries.c.key)
        with self._lock, reading(self.engine) as conn:
            rows = list(conn.execute(query))
        return [self._entry(r) for r in rows]

    def _entry(self, row: Row[Any]) -> Entry:
        """An entry as this view names it (the key without the scope's prefix)."""
        entry = _entry(row)
        if self.scope is not None and entry.key.startswith(self.scope.prefix):
            entry = replace(entry, key=entry.key[len(self.scope.prefix) :])
        return entry


def _event(conn: Connection, key: str, run_id: int | None, state: str, status: str, message: str, at: str) -> None:
    conn.execute(insert(events).values(key=key, run_id=run_id, state=state, status=status, message=message, at=at))


def _labels(text: object) -> tuple[str, ...]:
    try:
        labels = json.loads(str(text)) if text else []
    except ValueError:
        return ()
    return tuple(str(label) for label in labels) if isinstance(labels, list) else ()


def _run(r: Row[Any]) -> RunRecord:
    return RunRecord(
        id=r.id,
        started_at=datetime.fromisoformat(r.started_at),
        finished_at=datetime.fromisoformat(r.finished_at) if r.finished_at else None,
        input_path=Path(r.input_path),
        input_sha256=r.input_sha256,
        dry_run=bool(r.dry_run),
        counts=json.loads(r.counts) if r.counts else {},
        report_path=Path(r.report_path) if r.report_path else None,
        exit_code=r.exit_code,
        accounts=_labels(r.accounts),
    )


def _entry(r: Row[Any]) -> Entry:
    return Entry(
        key=str(r.key),
        authority=Authority(str(r.authority)),
        cert_no=str(r.cert_no),
        exported=bool(r.exported),
        declaration_nos=tuple(json.loads(str(r.declaration_nos))),
        state=str(r.state),
        status=str(r.status),
        message=str(r.message),
        run_id=None if r.run_id is None else int(r.run_id),
        updated_at=datetime.fromisoformat(str(r.updated_at)),
        portal_url=str(r.portal_url),
        account=str(r.account),
    )
