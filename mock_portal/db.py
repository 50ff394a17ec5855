"""SQLite storage: schema, seeding, tenant-scoped queries and lazily settled supplement receipts."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mock_portal import rules, seed
from mock_portal.auth import hash_password

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enterprises (
    username TEXT PRIMARY KEY, name TEXT NOT NULL, codes TEXT NOT NULL,
    salt BLOB NOT NULL, password_hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS certificates (
    id INTEGER PRIMARY KEY, username TEXT NOT NULL, authority TEXT NOT NULL, cert_no TEXT NOT NULL UNIQUE,
    cert_type TEXT NOT NULL, exporter_code TEXT NOT NULL, exporter_name TEXT NOT NULL,
    created_on TEXT NOT NULL, audit_status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS declarations (
    number TEXT PRIMARY KEY, username TEXT NOT NULL, flag TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, cert_id INTEGER NOT NULL,
    exported INTEGER NOT NULL, declaration_nos TEXT NOT NULL, submitted_at REAL NOT NULL,
    status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', receipt_at REAL);
CREATE INDEX IF NOT EXISTS submissions_cert ON submissions (cert_id);
"""


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    size: int


def _fmt_time(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S") if epoch else ""


class Database:
    """One SQLite connection shared by all threads behind a lock."""

    def __init__(self, path: str, seed_value: int, certs: int, enterprises: int = len(seed.ENTERPRISES)) -> None:
        self.path = path
        self.seed_value = seed_value
        self.certs = certs
        self.enterprises = seed.enterprises(enterprises)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        with self._tx() as conn:
            conn.executescript(SCHEMA)
        if self._meta("seed") != self._seed_key():
            self.reset()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
                self._conn.commit()
            except BaseException:
                self._conn.rollback()
                raise

    def _seed_key(self) -> str:
        extra = len(self.enterprises) - len(seed.ENTERPRISES)
        return f"{self.seed_value}/{self.certs}" + (f"/{len(self.enterprises)}" if extra else "")

    def _meta(self, key: str) -> str | None:
        with self._tx() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row["value"] if row else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ---- seeding -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Drops every row and rebuilds the demo data from the seed (as of today)."""
        data = seed.build(self.seed_value, self.certs, extra=len(self.enterprises) - len(seed.ENTERPRISES))
        accounts = []
        for ent in self.enterprises:
            salt, digest = hash_password(seed.DEMO_PASSWORD)
            accounts.append((ent.username, ent.name, json.dumps(ent.codes), salt, digest))
        with self._tx() as conn:
            for table in ("meta", "enterprises", "certificates", "declarations", "submissions"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM sqlite_sequence WHERE name='submissions'")
            conn.executemany("INSERT INTO enterprises VALUES (?,?,?,?,?)", accounts)
            conn.executemany(
                "INSERT INTO certificates VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (
                        c.id,
                        c.username,
                        c.authority,
                        c.cert_no,
                        c.cert_type,
                        c.exporter_code,
                        c.exporter_name,
                        c.created_on.isoformat(),
                        c.audit_status,
                    )
                    for c in data.certificates
                ],
            )
            conn.executemany(
                "INSERT INTO declarations VALUES (?,?,?,?)",
                [(d.number, d.username, d.flag, d.status) for d in data.declarations],
            )
            conn.execute("INSERT INTO meta VALUES ('seed', ?)", (self._seed_key(),))

    # ---- accounts ------------------------------------------------------------------------------
    def account(self, username: str) -> dict[str, Any] | None:
        with self._tx() as conn:
            row = conn.execute("SELECT * FROM enterprises WHERE username=?", (username,)).fetchone()
        if row is None:
            return None
        return {**dict(row), "codes": json.loads(row["codes"])}

    # ---- certificates --------------------------------------------------------------------------
    def certificate(self, username: str, cert_id: int) -> dict[str, Any] | None:
        """The certificate only when it belongs to `username` (tenant check)."""
        with self._tx() as conn:
            row = conn.execute("SELECT * FROM certificates WHERE id=? AND username=?", (cert_id, username)).fetchone()
        return dict(row) if row else None

    def certificates(self, username: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM certificates", ()
        if username:
            sql, args = sql + " WHERE username=?", (username,)
        with self._tx() as conn:
            return [dict(r) for r in conn.execute(sql + " ORDER BY id", args)]

    def search_certificates(
        self, username: str, filters: dict[str, str], page: int, size: int, receipt_delay: float
    ) -> Page:
        """补录 search: approved certificates of one authority, newest first, with the latest supplement."""
        self.settle(receipt_delay)
        where = ["c.username=?", "c.audit_status=?", "c.authority=?"]
        args: list[Any] = [username, seed.APPROVED, filters["authority"]]
        if filters.get("certType"):
            where.append("c.cert_type=?")
            args.append(filters["certType"])
        if filters.get("exporterCode"):
            where.append("c.exporter_code=?")
            args.append(filters["exporterCode"])
        if filters.get("createdFrom"):
            where.append("c.created_on>=?")
            args.append(filters["createdFrom"])
        if filters.get("createdTo"):
            where.append("c.created_on<=?")
            args.append(filters["createdTo"])
        if filters.get("certNo"):
            where.append("c.cert_no LIKE ? ESCAPE '\\'")
            args.append("%" + _like(filters["certNo"]) + "%")
        if filters.get("exporterName"):
            where.append("c.exporter_name LIKE ? ESCAPE '\\'")
            args.append("%" + _like(filters["exporterName"]) + "%")
        latest = "(SELECT s.status FROM submissions s WHERE s.cert_id=c.id ORDER BY s.id DESC LIMIT 1)"
        if filters.get("supplementStatus"):
            where.append(f"COALESCE({latest}, '未补录')=?")
            args.append(filters["supplementStatus"])
        clause = " AND ".join(where)
        with self._tx() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM certificates c WHERE {clause}", args).fetchone()[0]
            rows = conn.execute(
                f"SELECT c.*, COALESCE({latest}, '未补录') AS supplement_status FROM certificates c "
                f"WHERE {clause} ORDER BY c.created_on DESC, c.id DESC LIMIT ? OFFSET ?",
                [*args, size, (page - 1) * size],
            ).fetchall()
        return Page([dict(r) for r in rows], total, page, size)

    # ---- declarations --------------------------------------------------------------------------
    def declarations(self, username: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM declarations", ()
        if username:
            sql, args = sql + " WHERE username=?", (username,)
        with self._tx() as conn:
            return [dict(r) for r in conn.execute(sql + " ORDER BY rowid", args)]

    # ---- submissions ---------------------------------------------------------------------------
    def add_submission(self, username: str, cert_id: int, exported: bool, numbers: list[str]) -> int:
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO submissions (username, cert_id, exported, declaration_nos, submitted_at, status)"
                " VALUES (?,?,?,?,?,?)",
                (username, cert_id, int(exported), ";".join(numbers), time.time(), rules.DECLARED),
            )
            return int(cur.lastrowid or 0)

    def settle(self, receipt_delay: float, now: float | None = None) -> None:
        """Gives every 已申报 supplement older than the receipt delay its customs receipt."""
        now = time.time() if now is None else now
        with self._tx() as conn:
            due = conn.execute(
                "SELECT id, username, declaration_nos, submitted_at FROM submissions"
                " WHERE status=? AND submitted_at<=?",
                (rules.DECLARED, now - receipt_delay),
            ).fetchall()
            if not due:
                return
            registry = {
                r["number"]: rules.DeclarationInfo(r["username"], r["flag"], r["status"])
                for r in conn.execute("SELECT * FROM declarations")
            }
            for row in due:
                numbers = [n for n in row["declaration_nos"].split(";") if n]
                result = rules.receipt(row["username"], numbers, registry)
                conn.execute(
                    "UPDATE submissions SET status=?, reason=?, receipt_at=? WHERE id=?",
                    (result.status, result.reason, row["submitted_at"] + receipt_delay, row["id"]),
                )

    def _submission_select(self) -> str:
        return (
            "SELECT s.*, c.cert_no, c.authority, c.cert_type, c.exporter_code, c.exporter_name, c.created_on"
            " FROM submissions s JOIN certificates c ON c.id=s.cert_id"
        )

    def submissions(
        self, receipt_delay: float, username: str | None = None, cert_no: str | None = None
    ) -> list[dict[str, Any]]:
        self.settle(receipt_delay)
        where, args = ["1=1"], []
        if username:
            where.append("s.username=?")
            args.append(username)
        if cert_no:
            where.append("c.cert_no=?")
            args.append(cert_no)
        with self._tx() as conn:
            rows = conn.execute(
                f"{self._submission_select()} WHERE {' AND '.join(where)} ORDER BY s.id", args
            ).fetchall()
        return [_submission(dict(r)) for r in rows]

    def submission(self, username: str, submission_id: int, receipt_delay: float) -> dict[str, Any] | None:
        self.settle(receipt_delay)
        with self._tx() as conn:
            row = conn.execute(
                f"{self._submission_select()} WHERE s.id=? AND s.username=?", (submission_id, username)
            ).fetchone()
        return _submission(dict(row)) if row else None

    def search_submissions(
        self, username: str, filters: dict[str, str], page: int, size: int, receipt_delay: float
    ) -> Page:
        """补录信息查询: one enterprise's supplements, newest first."""
        self.settle(receipt_delay)
        where: list[str] = ["s.username=?"]
        args: list[Any] = [username]
        if filters.get("authority"):
            where.append("c.authority=?")
            args.append(filters["authority"])
        if filters.get("certNo"):
            where.append("c.cert_no LIKE ? ESCAPE '\\'")
            args.append("%" + _like(filters["certNo"]) + "%")
        if filters.get("status"):
            where.append("s.status=?")
            args.append(filters["status"])
        if filters.get("from"):
            where.append("s.submitted_at>=?")
            args.append(_day_start(filters["from"]))
        if filters.get("to"):
            where.append("s.submitted_at<?")
            args.append(_day_start(filters["to"]) + 86400)
        clause = " AND ".join(where)
        with self._tx() as conn:
            total = conn.execute(
                f"SELECT COUNT(*) FROM submissions s JOIN certificates c ON c.id=s.cert_id WHERE {clause}", args
            ).fetchone()[0]
            rows = conn.execute(
                f"{self._submission_select()} WHERE {clause} ORDER BY s.id DESC LIMIT ? OFFSET ?",
                [*args, size, (page - 1) * size],
            ).fetchall()
        return Page([_submission(dict(r)) for r in rows], total, page, size)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _day_start(day: str) -> float:
    return datetime.combine(date.fromisoformat(day), datetime.min.time()).timestamp()


def _submission(row: dict[str, Any]) -> dict[str, Any]:
    """A submission row with display fields added."""
    row["authority_name"] = seed.AUTHORITY_NAMES[row["authority"]]
    row["numbers"] = [n for n in row["declaration_nos"].split(";") if n]
    row["time"] = _fmt_time(row["submitted_at"])
    row["receipt_time"] = _fmt_time(row["receipt_at"])
    row["exported_name"] = "是" if row["exported"] else "否"
    return row
