"""`make soak` (`python -m bench.soak`): the fault drill of issue 12 at full size, not in CI.

A mock portal on localhost with chaos on (latency 40 ms + jitter 120 ms, 4 % 5xx, 15 % dialogs failing
to open, sessions of 90 s); a workbook of 600 rows; `corobot run` with 2 workers and
`min_submit_interval_s = 0`, SIGKILLed (robot and browser, like a power cut) three times at about a
quarter, half and three quarters of the rows, then run again until it exits 0 (at most `--max-runs`).
A run whose log stays silent for `--hang-s` counts as a hang (it is killed and the drill goes on).

Prints, and writes to bench/results/soak.md (shown on docs/BENCHMARKS.md): rows, duplicates (rows sent
more than once), lost (rows never sent), hangs, time, and the rows left 未处理 “待重试” after the first
run that was not killed. Everything stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from mock_portal.harness import start_portal, stop_portal

RESULTS = Path(__file__).parent / "results" / "soak.md"
CHAOS = [
    "--latency-ms",
    "40",
    "--jitter-ms",
    "120",
    "--error-rate",
    "0.04",
    "--dialog-fail-rate",
    "0.15",
    "--session-lifetime",
    "90",
]


def _work_folder(keep: Path | None) -> contextlib.AbstractContextManager[str]:
    if keep is not None:
        return contextlib.nullcontext(tempfile.mkdtemp(prefix="corobot-soak-", dir=keep))
    return tempfile.TemporaryDirectory(prefix="corobot-soak-")


def _env(url: str, work: Path, workers: int) -> dict[str, str]:
    from tests.support.watch import cli_env

    return cli_env(
        url,
        work,
        CO_WORKERS=str(workers),
        CO_MAX_WORKERS=str(workers),
        CO_MIN_SUBMIT_INTERVAL_S="0",
        CO_RECEIPT_DEADLINE_S="30",
    )


def _sent(url: str, certs: list[str]) -> Counter[str]:
    from tests.support.watch import submitted

    counts = submitted(url)
    return Counter({c: counts[c] for c in certs})


def _log_size(out: Path) -> int:
    return sum(p.stat().st_size for p in out.glob("*.log"))


def _run(
    env: dict[str, str], book: Path, out: Path, kill_at: int | None, url: str, certs: list[str], hang_s: float
) -> tuple[str, int | None]:
    """One `corobot run`; SIGKILLed once `kill_at` rows are on the portal. Returns (how it ended, exit code)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "robot", "run", str(book), "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    size, quiet_since = _log_size(out), time.monotonic()
    while proc.poll() is None:
        time.sleep(1.0)
        if kill_at is not None and sum(1 for n in _sent(url, certs).values() if n) >= kill_at:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "killed", None
        now_size = _log_size(out)
        if now_size != size:
            size, quiet_since = now_size, time.monotonic()
        elif time.monotonic() - quiet_since > hang_s:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "hang", None
    return "ended", proc.returncode


def _left_for_retry(out: Path) -> int:
    """Rows 未处理 “待重试” (system errors after the run's own retries) in the newest report."""
    from openpyxl import load_workbook

    reports = sorted(out.glob("*-结果-*.xlsx"))
    if not reports:
        return -1
    sheet = load_workbook(reports[-1], read_only=True)["明细"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    result, note = header.index("处理结果"), header.index("说明")
    return sum(1 for row in rows if row[result] == "未处理" and str(row[note] or "").startswith("待重试"))


def soak(
    rows: int, workers: int, kills: int, max_runs: int, hang_s: float, keep: Path | None = None
) -> dict[str, object]:
    from tests.support.watch import sample

    started = time.monotonic()
    portal = start_portal("--test-api", "--receipt-delay", "1", "--certs", str(max(1500, rows * 5 // 2)), *CHAOS)
    try:
        with _work_folder(keep) as folder:
            work = Path(folder)
            print(f"work folder (logs, reports): {work}", flush=True)
            book = work / "soak.xlsx"
            certs = sample(portal.url, book, 0, rows)
            env, out = _env(portal.url, work, workers), work / "out"
            kill_points = [rows * (k + 1) // (kills + 1) for k in range(kills)]
            runs: list[str] = []
            hangs = 0
            left_after_first: int | None = None
            while len(runs) < max_runs:
                kill_at = kill_points.pop(0) if kill_points else None
                how, code = _run(env, book, out, kill_at, portal.url, certs, hang_s)
                hangs += how == "hang"
                runs.append(f"{how}" + (f" (exit {code})" if code is not None else ""))
                print(f"run {len(runs)}: {runs[-1]}", flush=True)
                if how == "ended" and left_after_first is None:
                    left_after_first = _left_for_retry(out)
                if how == "ended" and code == 0:
                    break
            sent = _sent(portal.url, certs)
    finally:
        stop_portal(portal)
    return {
        "rows": rows,
        "workers": workers,
        "kills": kills,
        "duplicates": sum(n - 1 for n in sent.values() if n > 1),
        "lost": sum(1 for c in certs if not sent[c]),
        "hangs": hangs,
        "left_after_first_full_run": left_after_first,
        "runs": runs,
        "time_s": round(time.monotonic() - started),
    }


def as_markdown(result: dict[str, object]) -> str:
    when = f"{datetime.now():%Y-%m-%d %H:%M}"
    return "\n".join(
        [
            f"Soak run {when} (`make soak`): {result['rows']} rows, {result['workers']} workers, "
            f"`min_submit_interval_s = 0`, chaos `{' '.join(CHAOS)}`, {result['kills']} SIGKILLs.",
            "",
            "| rows | duplicates | lost | hangs | 待重试 after the first full run | runs | time |",
            "|---|---|---|---|---|---|---|",
            f"| {result['rows']} | {result['duplicates']} | {result['lost']} | {result['hangs']} | "
            f"{result['left_after_first_full_run']} | {len(result['runs'])}: {', '.join(result['runs'])} | "  # type: ignore[arg-type]
            f"{int(result['time_s']) // 60} min {int(result['time_s']) % 60} s |",  # type: ignore[call-overload]
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--max-runs", type=int, default=8)
    parser.add_argument("--hang-s", type=float, default=300.0, help="a run silent this long counts as a hang")
    parser.add_argument("--no-save", action="store_true", help="print only (no bench/results/soak.md)")
    parser.add_argument("--keep", type=Path, help="keep the work folder (logs, reports) inside this folder")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    result = soak(args.rows, args.workers, args.kills, args.max_runs, args.hang_s, args.keep)
    for key in ("rows", "duplicates", "lost", "hangs", "left_after_first_full_run", "time_s"):
        print(f"{key}: {result[key]}")
    if not args.no_save:
        RESULTS.write_text(as_markdown(result) + "\n", encoding="utf-8")
        print(f"written to {RESULTS}")
    ok = result["duplicates"] == 0 and result["lost"] == 0 and result["hangs"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
