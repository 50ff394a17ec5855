"""`python -m bench` (`make bench`): how close the robot comes to the portal's own limit.

Side by side in one run on this machine, against fresh mock portals (default front end: layui):
  1. the floors — a minimal HTTP client (bench.floor): kind `floor` makes every request the page
     needs for a row (search, the dialog's page, save), kind `floor_bare` leaves the dialog's page out;
  2. the robot — `run_job` in its own process (bench.robot_once) at the robot's default settings
     (kind `robot`; list-wise where it applies) and, when the robot has the setting, searching row by
     row (kind `robot_per_row`, `search_mode=row`, at 300 ms); 1 worker, and the other `--workers`
     at 300 ms;
  3. the least a browser does per row (bench.browser_min, kind `browser_min`, 1 worker): only the
     clicks, on the mock's markup, to tell the page's own cost from the robot's;
each at server latency 300 ms ± 50 ms and 0 ms, `--rows` rows, `--runs` runs (medians reported);
then one `--memory-rows` run (0 ms, 1 worker) for browser memory growth; what-if runs without
tracing (`--profile-rows`); the data layer (read+validate and report of 10,000 rows); and 1, 2 and 3
robot hosts on one PostgreSQL queue (bench.hosts, `--host-counts`, results in hosts.json beside the
others). Raw results go to a JSON file, the page (docs/BENCHMARKS.md with charts in
docs/img/bench-*.png) is rendered from it (`--render-only`).

`--quick` is a smoke check (20 rows, 1 run, 100-row memory run, 1 and 2 hosts on 4 rows) that writes
to a temp folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="corobot benchmarks (robot vs floor)")
    parser.add_argument("--rows", type=int, default=200, help="rows per run (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="runs per setting; medians are reported (default 3)")
    parser.add_argument(
        "--workers", default="1,2", help="worker counts at 300 ms (default 1,2; the robot allows at most 2)"
    )
    parser.add_argument("--memory-rows", type=int, default=1000, help="rows of the memory-growth run; 0 = skip")
    parser.add_argument(
        "--profile-rows", type=int, default=0, help="rows of each what-if run without tracing (default 0 = skip)"
    )
    parser.add_argument("--data-rows", type=int, default=10_000, help="rows of the data-layer benchmark; 0 = skip")
    parser.add_argument(
        "--certs",
        type=int,
        default=0,
        help="certificates in the mock (default: enough approved ones for the largest run)",
    )
    parser.add_argument(
        "--deadline-min",
        type=float,
        default=0,
        help="stop starting new robot/floor runs after this many minutes (0 = no limit); "
        "the page lists what was skipped",
    )
    parser.add_argument(
        "--host-counts", default="1,2,3", help="robot hosts on one PostgreSQL queue, one measurement each; 0 = skip"
    )
    parser.add_argument("--host-rows", type=int, default=60, help="rows of each host measurement (default 60)")
    parser.add_argument(
        "--host-deadline-min", type=float, default=30, help="a host measurement is stopped after this many minutes"
    )
    parser.add_argument("--quick", action="store_true", help="smoke check: 20 rows, 1 run, small runs, temp output")
    parser.add_argument(
        "--out", type=Path, default=None, help="folder for the page; default docs/ (quick: a temp folder)"
    )
    parser.add_argument("--results", type=Path, default=None, help="raw results JSON (default bench/results/…)")
    parser.add_argument("--render-only", action="store_true", help="only render the page from --results")
    parser.add_argument("--note", default="", help="why this run deviates from the full protocol (shown on the page)")
    parser.add_argument(
        "--submit-interval",
        type=float,
        default=None,
        help="the robot's min_submit_interval_s (politeness pause between two submissions of all "
        "workers) in the measured runs; default: the robot's own default, as a user runs it",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.runs = 20, 1
        args.memory_rows = min(args.memory_rows, 100)
        args.profile_rows = min(args.profile_rows, 10)
        args.data_rows = min(args.data_rows, 2_000)
        args.host_counts = "1,2" if args.host_counts == "1,2,3" else args.host_counts
        args.host_rows = min(args.host_rows, 4)
    if args.out is None:
        args.out = Path(tempfile.gettempdir()) / "corobot-bench-quick" if args.quick else ROOT / "docs"
    if args.results is None:
        name = "quick.json" if args.quick else "latest.json"
        args.results = (args.out if args.quick else ROOT / "bench" / "results") / name
    if not args.certs:
        # ~85 % of a login's certificates are approved, and the mock splits them over two logins.
        args.certs = max(300, int(max(args.rows, args.memory_rows, args.profile_rows) * 2 / 0.8) + 100)
    return args


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    from bench import page

    if args.render_only:
        results = json.loads(args.results.read_text(encoding="utf-8"))
        if args.note:
            results["settings"]["note"] = args.note
    else:
        results = measure(args)
    args.results.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(page.render(results, args.out, hosts_file(args)))
    return 0


def hosts_file(args: argparse.Namespace) -> Path:
    """The host benchmark's results, beside the others."""
    return args.results.parent / "hosts.json"


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from bench import environment
    from bench.runs import SLOW, ZERO, per_row_settings, robot_run
    from bench.sampler import StealClock

    workers = [int(w) for w in str(args.workers).split(",") if w.strip()]
    results: dict[str, Any] = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "settings": {
            "rows": args.rows,
            "runs": args.runs,
            "workers": workers,
            "memory_rows": args.memory_rows,
            "profile_rows": args.profile_rows,
            "data_rows": args.data_rows,
            "certs": args.certs,
            "quick": args.quick,
            "command": "python -m bench " + " ".join(sys.argv[1:]),
            "note": args.note,
            "submit_interval": args.submit_interval,
        },
        "machine": environment.describe(),
        "frontend": _frontend(),
        "runs": [],
        "memory": None,
        "profiles": [],
        "data_layer": None,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()

    def save() -> None:
        results["elapsed_s"] = time.monotonic() - began
        args.results.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    deadline = began + args.deadline_min * 60 if args.deadline_min else None
    results["skipped"] = []

    def in_time(label: str) -> bool:
        if deadline is not None and time.monotonic() > deadline:
            results["skipped"].append(label)
            print(f"skipped (deadline): {label}", flush=True)
            return False
        return True

    if args.memory_rows and in_time(f"memory {args.memory_rows} rows"):
        # First the one long run and the short profile runs, so that a deadline never cuts them.
        started = time.monotonic()
        record = robot_run(ZERO, args.memory_rows, 1, args.certs, interval=0.5, submit_interval=args.submit_interval)
        record["run_label"] = f"memory {args.memory_rows} rows"
        record["curve"] = _thin(record["curve"], 800)
        results["memory"] = record
        save()
        print(
            f"memory run: {record['ok']} rows in {time.monotonic() - started:.0f} s, browser "
            f"{record['browser_at50_mib']:.0f} → {record['browser_atlast_mib']:.0f} MiB",
            flush=True,
        )
    if args.profile_rows:
        for latency in (ZERO, SLOW):
            for no_trace in (False, True):
                label = f"profile {latency.name} 1w{' no-trace' if no_trace else ''}"
                if not in_time(label):
                    continue
                steal = StealClock()
                record = robot_run(
                    latency,
                    args.profile_rows,
                    1,
                    args.certs,
                    no_trace=no_trace,
                    submit_interval=args.submit_interval,
                )
                record["steal_share"] = steal.share()
                record["run_label"] = label
                record["curve"] = None
                results["profiles"].append(record)
                save()
                print(
                    f"{label}: {record['wall_s'] / max(1, record['ok']):.3f} s/row, "
                    f"{record['steal_share'] * 100:.0f} % stolen",
                    flush=True,
                )
    plan = plan_runs(args.runs, args.rows, workers, args.certs, args.submit_interval, per_row_settings())
    for index, (label, job) in enumerate(plan, 1):
        if not in_time(label):
            continue
        started, steal = time.monotonic(), StealClock()
        record = job()
        record["steal_share"] = steal.share()
        record["run_label"] = label
        record["curve"] = _thin(record.get("curve"), 200)
        results["runs"].append(record)
        save()
        _progress(index, len(plan), label, record, time.monotonic() - started, time.monotonic() - began)
    if args.data_rows:
        results["data_layer"] = data_layer(args.data_rows, max(1, args.runs), args.results.parent)
        save()
    _hosts(args, results["settings"]["command"], in_time)
    save()
    return results


def _hosts(args: argparse.Namespace, command: str, in_time: Callable[[str], bool]) -> None:
    """1, 2 and 3 robot hosts on one PostgreSQL queue (bench.hosts), unless `--host-counts 0`."""
    from bench.hosts import measure as measure_hosts
    from bench.hosts import parse_counts

    counts = parse_counts(args.host_counts)
    if counts and in_time(f"hosts {args.host_counts}"):
        measure_hosts(counts, args.host_rows, args.host_deadline_min, hosts_file(args), command)


Job = Callable[[], dict[str, Any]]


def plan_runs(
    runs: int, rows: int, workers: list[int], certs: int, submit_interval: float | None, per_row: dict[str, str] | None
) -> list[tuple[str, Job]]:
    """Run 1 of every setting, then run 2 of every setting, …: a deadline leaves every setting measured.
    Within a run, floors and robots alternate (machine drift affects both alike): 1 worker at 300 ms
    (the targets), at 0 ms (browser CPU), then more workers at 300 ms; the per-row robot at 300 ms only.
    `per_row`: the settings that make the robot search row by row (kind `robot_per_row`), None when
    its default does already."""
    from bench.runs import SLOW, ZERO, Latency, browser_min_run, floor_run, robot_run

    def floor(lat: Latency, n: int, dialog: bool = True) -> Job:
        return lambda: floor_run(lat, rows, n, certs, dialog)

    def robot(lat: Latency, n: int, kind: str = "robot") -> Job:
        settings = per_row if kind == "robot_per_row" else None
        return lambda: robot_run(lat, rows, n, certs, submit_interval=submit_interval, settings=settings, kind=kind)

    plan: list[tuple[str, Job]] = []
    for run in range(runs):
        settings = [(SLOW, workers[0]), (ZERO, workers[0])] + [(SLOW, n) for n in workers[1:]]
        for lat, n in settings:
            tag = f"{lat.name} {n}w run {run + 1}"
            first = n == workers[0]
            if first:
                plan.append((f"floor_bare {tag}", floor(lat, n, dialog=False)))
            plan.append((f"floor {tag}", floor(lat, n)))
            plan.append((f"robot {tag}", robot(lat, n)))
            if per_row and first and lat is SLOW:
                plan.append((f"robot_per_row {tag}", robot(lat, n, "robot_per_row")))
            if first:
                plan.append((f"browser_min {tag}", lambda lat=lat: browser_min_run(lat, rows, certs)))
    return plan


def _frontend() -> str:
    """The front end the benchmark's portals serve (the mock's default)."""
    from mock_portal.settings import Settings

    return Settings().frontend


def data_layer(rows: int, runs: int, folder: Path) -> dict[str, Any]:
    from bench.data_layer import measure as measure_data

    timings = [measure_data(rows) for _ in range(runs)]
    result: dict[str, Any] = {
        "rows": rows,
        "read_s": [t.read_s for t in timings],
        "report_s": [t.report_s for t in timings],
        "read_cpu_s": [t.read_cpu_s for t in timings],
        "report_cpu_s": [t.report_cpu_s for t in timings],
        "read_median_s": statistics.median(t.read_s for t in timings),
        "report_median_s": statistics.median(t.report_s for t in timings),
        "read_cpu_median_s": statistics.median(t.read_cpu_s for t in timings),
        "report_cpu_median_s": statistics.median(t.report_cpu_s for t in timings),
    }
    stats = folder / "data_layer.prof"
    measure_data(rows, profile=stats)
    result["profile"] = _top(stats, 14)
    stats.unlink(missing_ok=True)
    print(
        f"data layer {rows} rows: read {result['read_median_s']:.2f} s, report {result['report_median_s']:.2f} s",
        flush=True,
    )
    return result


def _top(stats_file: Path, count: int) -> list[list[Any]]:
    """The `count` functions with the most cumulative time: [cumulative s, own s, calls, where]."""
    import pstats

    stats = pstats.Stats(str(stats_file))
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(filename).name}:{line} {name}" if line else name
        rows.append([round(cumulative, 3), round(own, 3), calls, where])
    rows.sort(key=lambda r: -r[0])
    return rows[:count]


def _thin(curve: list[Any] | None, points: int) -> list[Any] | None:
    if not curve or len(curve) <= points:
        return curve
    step = len(curve) / points
    picked = [curve[int(i * step)] for i in range(points)]
    return [*picked, curve[-1]]


def _progress(index: int, total: int, label: str, record: dict[str, Any], took: float, elapsed: float) -> None:
    per_row = record["wall_s"] / max(1, record["ok"])
    eta = elapsed / index * (total - index)
    print(
        f"[{index}/{total}] {label}: {record['ok']}/{record['rows']} rows, {per_row * 1000:.0f} ms/row, "
        f"{record.get('steal_share', 0) * 100:.0f} % stolen "
        f"(run {took:.0f} s; elapsed {elapsed / 60:.1f} min, plan ETA {eta / 60:.1f} min)",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
