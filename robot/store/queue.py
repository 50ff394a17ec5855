"""The shared work queue of several robot hosts on one PostgreSQL (tables: robot.store.queue_schema).

Plain `SELECT … FOR UPDATE SKIP LOCKED` (docs/hosts.md says why not a queue library). A host claims a
batch of rows of one workbook and one account it can work; each claimed row carries a lease
(`expires_at`, the database's clock) that the host's heartbeat renews while it works. A row whose lease
expired (its host died or lost the database) is claimable again by any host that can work its account;
the journal (shared in the same database) makes the taker read the portal back first when an intent was
journaled, so exactly once holds across hosts. A host records outcomes only of rows it still holds.
The workbook's report is written by the host whose `complete()` wins once the last row is final.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from robot.core.model import Result, RowOutcome
from robot.store.queue_schema import CLAIMED, FINAL, QUEUED, hosts, queue_books, queue_rows

DEFAULT_LEASE_S = 60.0


@dataclass(frozen=True)
class Book:
    """A workbook in the queue."""

    id: int
    sha256: str
    name: str
    account: str
    """The run's account for rows without a 账号 (inbox/<name>/), "" for none."""
    origin: str
    queued_at: datetime
    finished_at: datetime | None
    finished_by: str | None
    report: str | None
    exit_code: int | None


@dataclass(frozen=True)
class Claim:
    """Rows of one workbook and one account that a host holds (their leases renewed by its heartbeat)."""

    book_id: int
    account: str
    rows: tuple[int, ...]


@dataclass(frozen=True)
class HostInfo:
    name: str
    accounts: tuple[str, ...]
    last_heartbeat: datetime
    in_flight: int
    stopped: bool


@dataclass(frozen=True)
class BookProgress:
    book: Book
    counts: dict[str, int]
    """Rows per state (queued, claimed, final)."""


class SharedQueue:
    """The queue as host `host` sees it, on `engine` (PostgreSQL)."""

    def __init__(self, engine: sa.Engine, host: str, lease_s: float = DEFAULT_LEASE_S) -> None:
        self.engine = engine
        self.host = host
        self.lease = timedelta(seconds=lease_s)
        self._in_hand: set[tuple[int, int]] = set()
        """(book id, row) of the claims this process works: the only leases its heartbeat renews. Rows
        it gave back (even when the database did not take the release) or lost, and rows an earlier
        process of the same host name held, are never renewed: their leases lapse and another host
        takes them."""
        self._hand_lock = threading.Lock()

    def _keep(self, book_id: int, rows: Iterable[int]) -> None:
        with self._hand_lock:
            self._in_hand.update((book_id, r) for r in rows)

    def _drop(self, book_id: int, rows: Iterable[int]) -> None:
        with self._hand_lock:
            self._in_hand.difference_update((book_id, r) for r in rows)

    # -- workbooks -------------------------------------------------------------------------------
    def enqueue(
        self, name: str, sha256: str, content: bytes, rows: Iterable[tuple[int, str]], account: str = ""
    ) -> tuple[int, bool]:
        """Puts a workbook's valid rows (row number, account label) into the queue; returns the book's id
        and whether it is new (a content queued before is not queued again)."""
        with self.engine.begin() as db:
            book_id = db.execute(
                pg_insert(queue_books)
                .values(sha256=sha256, name=name, content=content, account=account, origin=self.host)
                .on_conflict_do_nothing(index_elements=["sha256"])
                .returning(queue_books.c.id)
            ).scalar()
            if book_id is None:
                return int(
                    db.execute(sa.select(queue_books.c.id).where(queue_books.c.sha256 == sha256)).scalar_one()
                ), False
            values = [{"book_id": book_id, "row": row, "account": label} for row, label in rows]
            if values:
                db.execute(sa.insert(queue_rows), values)
        return int(book_id), True

    def book(self, book_id: int) -> Book | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(*_BOOK_COLUMNS).where(queue_books.c.id == book_id)).first()
        return _book(row) if row else None

    def book_by_sha(self, sha256: str) -> Book | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(*_BOOK_COLUMNS).where(queue_books.c.sha256 == sha256)).first()
        return _book(row) if row else None

    def content(self, book_id: int) -> bytes:
        with self.engine.connect() as db:
            return bytes(db.execute(sa.select(queue_books.c.content).where(queue_books.c.id == book_id)).scalar_one())

    # -- claims ----------------------------------------------------------------------------------
    def claim(self, accounts: Sequence[str], limit: int) -> Claim | None:
        """Up to `limit` claimable rows (queued, or claimed with an expired lease) of the oldest workbook
        and account among `accounts`; None when there is none."""
        if not accounts or limit < 1:
            return None
        now = sa.func.now()
        claimable = sa.and_(
            queue_rows.c.account.in_(list(accounts)),
            sa.or_(
                sa.and_(
                    queue_rows.c.state == QUEUED,
                    sa.or_(queue_rows.c.not_before.is_(None), queue_rows.c.not_before <= now),
                ),
                sa.and_(queue_rows.c.state == CLAIMED, queue_rows.c.expires_at < now),
            ),
        )
        with self.engine.begin() as db:
            first = db.execute(
                sa.select(queue_rows.c.book_id, queue_rows.c.account)
                .where(claimable)
                .order_by(queue_rows.c.book_id, queue_rows.c.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if first is None:
                return None
            book_id, account = first
            ids = (
                db.execute(
                    sa.select(queue_rows.c.id)
                    .where(claimable, queue_rows.c.book_id == book_id, queue_rows.c.account == account)
                    .order_by(queue_rows.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
                .scalars()
                .all()
            )
            taken = db.execute(
                sa.update(queue_rows)
                .where(queue_rows.c.id.in_(ids))
                .values(
                    state=CLAIMED,
                    host=self.host,
                    expires_at=now + self.lease,
                    attempts=queue_rows.c.attempts + 1,
                )
                .returning(queue_rows.c.row)
            )
            rows = tuple(sorted(r for (r,) in taken))
        self._keep(int(book_id), rows)
        return Claim(int(book_id), str(account), rows) if rows else None

    def renew(self) -> int:
        """Renews the lease of every row this process works (claimed and not yet finished, given back or
        lost); returns how many."""
        with self._hand_lock:
            held = sorted(self._in_hand)
        if not held:
            return 0
        with self.engine.begin() as db:
            result = db.execute(
                sa.update(queue_rows)
                .where(
                    sa.tuple_(queue_rows.c.book_id, queue_rows.c.row).in_(held),
                    queue_rows.c.host == self.host,
                    queue_rows.c.state == CLAIMED,
                )
                .values(expires_at=sa.func.now() + self.lease)
            )
        return int(result.rowcount or 0)

    def hold(self, claim: Claim, row: int) -> bool:
        """Whether this host still holds `row` of the claim, its lease renewed if so: asked right before
        the row's 【提交】, so that a host whose lease lapsed (asleep, cut off) never sends a row another
        host has taken over."""
        with self.engine.begin() as db:
            changed = db.execute(
                sa.update(queue_rows).where(*self._held(claim, row)).values(expires_at=sa.func.now() + self.lease)
            )
        if not changed.rowcount:
            self._drop(claim.book_id, (row,))
        return bool(changed.rowcount)

    def finish(self, claim: Claim, outcomes: dict[int, RowOutcome]) -> list[int]:
        """Records the outcomes of the claim's rows this host still holds (final); returns their rows.
        A row taken over by another host meanwhile is left to that host."""
        done: list[int] = []
        with self.engine.begin() as db:
            for row in claim.rows:
                result = outcomes.get(row)
                if result is None:
                    continue
                changed = db.execute(
                    sa.update(queue_rows)
                    .where(*self._held(claim, row))
                    .values(
                        state=FINAL,
                        expires_at=None,
                        result=result.result.value,
                        message=result.message,
                        status=result.status,
                        processed_at=result.processed_at,
                        retry_later=result.retry_later,
                    )
                )
                if changed.rowcount:
                    done.append(row)
        self._drop(claim.book_id, (r for r in claim.rows if r in outcomes))  # final here, or another host's
        return done

    def release(self, claim: Claim, rows: Iterable[int] | None = None, after_s: float = 0.0) -> int:
        """Gives rows of the claim (all by default) back to the queue, claimable after `after_s` seconds."""
        wanted = claim.rows if rows is None else tuple(rows)
        self._drop(claim.book_id, wanted)  # given back even if the database does not answer: the lease lapses
        not_before = sa.func.now() + timedelta(seconds=after_s) if after_s > 0 else None
        with self.engine.begin() as db:
            result = db.execute(
                sa.update(queue_rows)
                .where(
                    queue_rows.c.book_id == claim.book_id,
                    queue_rows.c.row.in_(list(wanted)),
                    queue_rows.c.host == self.host,
                    queue_rows.c.state == CLAIMED,
                )
                .values(state=QUEUED, host=None, expires_at=None, not_before=not_before)
            )
        return int(result.rowcount or 0)

    def release_all(self) -> int:
        """Gives every row this host holds back to the queue (a stop)."""
        with self._hand_lock:
            self._in_hand.clear()
        with self.engine.begin() as db:
            result = db.execute(
                sa.update(queue_rows)
                .where(queue_rows.c.host == self.host, queue_rows.c.state == CLAIMED)
                .values(state=QUEUED, host=None, expires_at=None)
            )
        return int(result.rowcount or 0)

    def attempts(self, claim: Claim) -> dict[int, int]:
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(queue_rows.c.row, queue_rows.c.attempts).where(
                    queue_rows.c.book_id == claim.book_id, queue_rows.c.row.in_(list(claim.rows))
                )
            ).all()
        return {int(r): int(a) for r, a in rows}

    def _held(self, claim: Claim, row: int) -> tuple[sa.ColumnElement[bool], ...]:
        return (
            queue_rows.c.book_id == claim.book_id,
            queue_rows.c.row == row,
            queue_rows.c.host == self.host,
            queue_rows.c.state == CLAIMED,
        )

    # -- completion ------------------------------------------------------------------------------
    def _unreported(self) -> sa.ColumnElement[bool]:
        """A workbook whose rows are all final and whose report nobody wrote: nobody took it on, or its
        taker has not said it was written for longer than a lease (it died or failed meanwhile)."""
        pending = sa.exists().where(queue_rows.c.book_id == queue_books.c.id, queue_rows.c.state != FINAL)
        stale = queue_books.c.finished_at < sa.func.now() - self.lease
        return sa.and_(
            queue_books.c.report.is_(None),
            sa.or_(queue_books.c.finished_by.is_(None), stale),
            ~pending,
        )

    def complete(self, book_id: int) -> bool:
        """True for exactly one host once every row of the workbook is final: that host writes the report."""
        with self.engine.begin() as db:
            won = db.execute(
                sa.update(queue_books)
                .where(queue_books.c.id == book_id, self._unreported())
                .values(finished_by=self.host, finished_at=sa.func.now())
                .returning(queue_books.c.id)
            ).first()
        return won is not None

    def unreported(self) -> list[int]:
        """Workbooks left without a report (see `_unreported`): any host may take them on (`complete`)."""
        with self.engine.connect() as db:
            ids = db.execute(sa.select(queue_books.c.id).where(self._unreported()).order_by(queue_books.c.id))
            return [int(i) for i in ids.scalars()]

    def reported(self, book_id: int, report: str, exit_code: int) -> None:
        with self.engine.begin() as db:
            db.execute(
                sa.update(queue_books).where(queue_books.c.id == book_id).values(report=report, exit_code=exit_code)
            )

    def outcomes(self, book_id: int) -> dict[int, RowOutcome]:
        """The recorded outcome of every final row of the workbook."""
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(
                    queue_rows.c.row,
                    queue_rows.c.result,
                    queue_rows.c.message,
                    queue_rows.c.status,
                    queue_rows.c.processed_at,
                    queue_rows.c.retry_later,
                ).where(queue_rows.c.book_id == book_id, queue_rows.c.state == FINAL)
            ).all()
        return {
            int(r): RowOutcome(int(r), Result(res), msg or "", status or "", at, [], bool(later))
            for r, res, msg, status, at, later in rows
        }

    # -- hosts -----------------------------------------------------------------------------------
    def heartbeat(self, accounts: Sequence[str], stopped: bool = False) -> int:
        """Says this host is alive (with its accounts) and renews its leases; returns the rows it holds."""
        with self.engine.begin() as db:
            db.execute(
                pg_insert(hosts)
                .values(name=self.host, accounts=list(accounts), stopped=stopped)
                .on_conflict_do_update(
                    index_elements=["name"],
                    set_={"accounts": list(accounts), "last_heartbeat": sa.func.now(), "stopped": stopped},
                )
            )
        return 0 if stopped else self.renew()

    def hosts(self) -> list[HostInfo]:
        """Every host that worked the queue, with the rows it holds now."""
        in_flight = (
            sa.select(sa.func.count())
            .where(queue_rows.c.host == hosts.c.name, queue_rows.c.state == CLAIMED)
            .scalar_subquery()
        )
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(hosts.c.name, hosts.c.accounts, hosts.c.last_heartbeat, in_flight, hosts.c.stopped).order_by(
                    hosts.c.name
                )
            ).all()
        return [HostInfo(n, tuple(a or ()), beat, int(f), bool(s)) for n, a, beat, f, s in rows]

    def progress(self, last: int = 20) -> list[BookProgress]:
        """The latest workbooks of the queue with their rows per state, newest first."""
        with self.engine.connect() as db:
            books = [
                _book(r) for r in db.execute(sa.select(*_BOOK_COLUMNS).order_by(queue_books.c.id.desc()).limit(last))
            ]
            counts: dict[int, dict[str, int]] = {b.id: {} for b in books}
            if books:
                for book_id, state, n in db.execute(
                    sa.select(queue_rows.c.book_id, queue_rows.c.state, sa.func.count())
                    .where(queue_rows.c.book_id.in_(list(counts)))
                    .group_by(queue_rows.c.book_id, queue_rows.c.state)
                ):
                    counts[book_id][state] = int(n)
        return [BookProgress(b, counts[b.id]) for b in books]


_BOOK_COLUMNS = (
    queue_books.c.id,
    queue_books.c.sha256,
    queue_books.c.name,
    queue_books.c.account,
    queue_books.c.origin,
    queue_books.c.queued_at,
    queue_books.c.finished_at,
    queue_books.c.finished_by,
    queue_books.c.report,
    queue_books.c.exit_code,
)


def _book(row: Any) -> Book:
    """A Book of a row selected with _BOOK_COLUMNS (their names are its fields)."""
    return Book(**row._mapping)
