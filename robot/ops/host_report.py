"""The report of a workbook worked through the shared queue, written by the host that finished its last
row: every row's recorded outcome (whichever host worked it), into that host's inbox `done/` (or `failed/`
when rows failed or stayed 未处理), or `out_dir` when set."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from robot import __version__
from robot.books.report import count_results, report_name, write_report
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.model import InputWorkbook, Result, RunSummary
from robot.ops.inbox import DONE, FAILED
from robot.store.queue import Book, SharedQueue


def book_exit_code(counts: dict[str, int]) -> ExitCode:
    """The exit code `corobot run` would give a workbook with these final counts."""
    if counts.get(Result.UNPROCESSED.value):
        return ExitCode.PORTAL_UNAVAILABLE
    if counts.get(Result.FAILED.value) or counts.get(Result.INVALID.value):
        return ExitCode.ROWS_FAILED
    if counts.get(Result.SUBMITTED.value):
        return ExitCode.RECEIPTS_PENDING
    return ExitCode.OK


def folder_of(code: ExitCode) -> str:
    return DONE if code in (ExitCode.OK, ExitCode.RECEIPTS_PENDING) else FAILED


def write_book_report(
    settings: Settings, queue: SharedQueue, book: Book, parsed: InputWorkbook, now: datetime
) -> tuple[Path, ExitCode, dict[str, int]]:
    """Writes the workbook's report from the queue's outcomes; returns its path, exit code and counts.
    `now` names the file: a retry after the database failed rewrites the same file, never a second one."""
    outcomes = queue.outcomes(book.id)
    counts = count_results(parsed, outcomes)
    code = book_exit_code(counts)
    folder = Path(settings.out_dir) if settings.out_dir else Path(settings.inbox_dir) / folder_of(code)
    labels = "、".join(dict.fromkeys(r.account for r in parsed.rows if r.account))
    summary = RunSummary(
        book.queued_at.astimezone().replace(tzinfo=None),
        now,
        settings.portal_url,
        labels or settings.username,
        __version__,
        Path(book.name),
        False,
    )
    path = write_report(folder / report_name(Path(book.name), now), parsed, outcomes, summary)
    queue.reported(book.id, str(path), int(code))
    return path, code, counts
