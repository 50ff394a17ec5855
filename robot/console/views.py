"""What the console's pages show, read from the engine's own records: runs (journal) with who started
them, a result workbook's 明细 rows, rows waiting for 海关接收, the console's output files, the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from robot.books.report import DETAIL_SHEET
from robot.core.config import Settings
from robot.core.secrets import Secret
from robot.engine.history import COUNT_ORDER
from robot.engine.journal import Entry, Journal, RunRecord
from robot.engine.journal_open import has_journal, journal_at
from robot.ops.origins import Origins

MAX_ROWS_SHOWN = 2000


@dataclass(frozen=True)
class RunView:
    run: RunRecord
    origin: str
    counts: list[tuple[str, int]]
    report: Path | None
    log: Path | None
    evidence: Path | None


def journal_of(settings: Settings) -> Journal | None:
    return journal_at(settings) if has_journal(settings) else None


def runs(settings: Settings, inbox: Path, last: int = 200) -> list[RunView]:
    journal = journal_of(settings)
    if journal is None:
        return []
    with journal:
        records = journal.runs(last)
    origins = Origins(settings.state_dir, settings.journal_url).all()
    return [_view(r, origins, inbox) for r in records]


def run(settings: Settings, inbox: Path, run_id: int) -> RunView | None:
    return next((v for v in runs(settings, inbox, 100_000) if v.run.id == run_id), None)


def _view(record: RunRecord, origins: dict[str, str], inbox: Path) -> RunView:
    origin = origins.get(record.input_sha256)
    if origin is None:
        in_inbox = Path(record.input_path).resolve().is_relative_to(inbox.resolve())
        origin = "收件箱" if in_inbox else "命令行"
    report = record.report_path
    log = report.with_suffix(".log") if report else None
    evidence = report.with_name(report.stem + "-证据") if report else None
    counts = [(k, record.counts[k]) for k in COUNT_ORDER if record.counts.get(k)]
    return RunView(record, origin, counts, report, log, evidence)


def detail_rows(report: Path) -> tuple[list[str], list[list[str]], int]:
    """Headers and up to MAX_ROWS_SHOWN rows of a result workbook's 明细 sheet, and the number of rows."""
    wb = load_workbook(report, read_only=True, data_only=True)
    try:
        ws = wb[DETAIL_SHEET]
        rows = ws.iter_rows(values_only=True)
        headers = [str(v or "") for v in next(rows, ())]
        shown: list[list[str]] = []
        total = 0
        for values in rows:
            total += 1
            if len(shown) < MAX_ROWS_SHOWN:
                shown.append([_text(v) for v in values])
        return headers, shown, total
    finally:
        wb.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value)


def awaiting(settings: Settings) -> list[Entry]:
    journal = journal_of(settings)
    if journal is None:
        return []
    with journal:
        return journal.awaiting_final()


def output_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix == ".xlsx" and not p.name.startswith(".")]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


def settings_rows(settings: Settings) -> list[tuple[str, str]]:
    """Every setting with its effective value; secrets only say whether they are set."""
    rows = []
    for name, value in settings.redacted().items():
        raw = getattr(settings, name)
        if isinstance(raw, Secret):
            value = "已设置（不显示）" if raw else "未设置"
        rows.append((name, "" if value is None else str(value)))
    return rows
