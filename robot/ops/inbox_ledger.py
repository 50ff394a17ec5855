"""The inbox ledger: which file contents (SHA-256) `corobot watch` has taken, and where they ended.

Tables of the store (robot.store: the state folder's SQLite file, or the database of `journal_url`),
committed on every write. It lets watch recognise the same content dropped again (under any name) and
report it instead of running it twice, and it counts the runs of a workbook whose rows were left 待重试
(system errors) and when it is due again. It also marks a content while it is being read: a mark found
after a restart means the robot stopped while reading it (robot.ops.inbox.read_check then reads it only
in a child process).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import delete, select, update

from robot.store import open_engine
from robot.store.db import reading, upsert, writing
from robot.store.schema import inbox_files, inbox_reads, inbox_retries

PROCESSING = "processing"


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
    """The ledger of the store of `url` (a `journal_url`; empty: the SQLite file of `state_dir`)."""

    def __init__(self, state_dir: Path, url: str = "") -> None:
        self.engine = open_engine(url, Path(state_dir))

    def get(self, sha256: str) -> LedgerEntry | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(inbox_files).where(inbox_files.c.sha256 == sha256)).first()
        if row is None:
            return None
        return LedgerEntry(
            row.sha256,
            row.name,
            row.state,
            Path(row.placed),
            Path(row.report) if row.report else None,
            row.exit_code,
            datetime.fromisoformat(row.taken_at),
            datetime.fromisoformat(row.finished_at) if row.finished_at else None,
        )

    def take(self, sha256: str, name: str, placed: Path) -> None:
        """The content is being worked (in processing/); a file resumed after a crash keeps its entry."""
        row = {"sha256": sha256, "name": name, "state": PROCESSING, "placed": str(placed), "taken_at": _now()}
        with writing(self.engine) as conn:
            upsert(conn, inbox_files, row, ("state", "placed"))

    def finish(self, sha256: str, state: str, placed: Path, report: Path | None, exit_code: int) -> None:
        values = {
            "state": state,
            "placed": str(placed),
            "report": str(report) if report else None,
            "exit_code": exit_code,
            "finished_at": _now(),
        }
        with writing(self.engine) as conn:
            conn.execute(update(inbox_files).where(inbox_files.c.sha256 == sha256).values(**values))

    def retry_due(self, sha256: str) -> tuple[int, datetime | None]:
        """Runs so far that left rows 待重试, and when the next may start (None: no such run yet)."""
        with reading(self.engine) as conn:
            row = conn.execute(select(inbox_retries).where(inbox_retries.c.sha256 == sha256)).first()
        return (0, None) if row is None else (int(row.attempts), datetime.fromisoformat(row.due_at))

    def note_retry(self, sha256: str, due_at: datetime) -> int:
        """One more run left rows 待重试; the next may start at `due_at`. Returns the runs so far."""
        attempts = self.retry_due(sha256)[0] + 1
        row = {"sha256": sha256, "attempts": attempts, "due_at": due_at.isoformat(timespec="seconds")}
        with writing(self.engine) as conn:
            upsert(conn, inbox_retries, row, ("attempts", "due_at"))
        return attempts

    def start_reading(self, sha256: str) -> None:
        """The content is being read now (cleared by `done_reading`)."""
        with writing(self.engine) as conn:
            upsert(conn, inbox_reads, {"sha256": sha256, "started_at": _now()}, ("started_at",))

    def done_reading(self, sha256: str) -> None:
        with writing(self.engine) as conn:
            conn.execute(delete(inbox_reads).where(inbox_reads.c.sha256 == sha256))

    def was_reading(self, sha256: str) -> bool:
        """True when a read of the content started and never finished (the robot stopped meanwhile)."""
        with reading(self.engine) as conn:
            return conn.execute(select(inbox_reads.c.sha256).where(inbox_reads.c.sha256 == sha256)).first() is not None

    def clear_retry(self, sha256: str) -> None:
        with writing(self.engine) as conn:
            conn.execute(delete(inbox_retries).where(inbox_retries.c.sha256 == sha256))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> InboxLedger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
