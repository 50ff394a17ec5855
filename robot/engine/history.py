"""`corobot history [--last N] [--account NAME]`: past runs from the journal (the state folder's SQLite
file, or the shared database of `journal_url`), newest first, with accounts, counts and report paths."""

from __future__ import annotations

from pathlib import Path

from robot.core.model import COUNT_ORDER
from robot.engine.journal import JOURNAL_NAME, Journal, RunRecord

__all__ = ["COUNT_ORDER", "format_run", "history_lines"]


def format_run(run: RunRecord) -> str:
    """One run in two lines: when, input, outcome counts, exit code; then the report's path."""
    start = f"{run.started_at:%Y-%m-%d %H:%M:%S}"
    end = f"{run.finished_at:%H:%M:%S}" if run.finished_at else "未结束（被中断）"
    counts = " ".join(f"{k}{run.counts[k]}" for k in COUNT_ORDER if run.counts.get(k))
    code = "-" if run.exit_code is None else str(run.exit_code)
    dry = " 试运行" if run.dry_run else ""
    accounts = f"  账号 {'、'.join(run.accounts)}" if run.accounts else ""
    lines = [f"#{run.id} {start} → {end}{dry}  {run.input_path.name}{accounts}  {counts or '-'}  退出码 {code}"]
    lines.append(f"    报告：{run.report_path if run.report_path else '（无）'}")
    return "\n".join(lines)


def history_lines(state_dir: Path, last: int, account: str | None = None, url: str = "") -> list[str]:
    """The last `last` runs (of `account`, a label) recorded in the journal of `url` (a `journal_url`),
    else in `<state_dir>/journal.sqlite3` (nothing when there is no such file)."""
    path = Path(state_dir) / JOURNAL_NAME
    if not url and not path.exists():
        return []
    with Journal(url or path) as journal:
        return [format_run(run) for run in journal.runs(last, account)]
