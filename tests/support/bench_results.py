"""Made-up results of `make bench` (bench/__main__.py's JSON) for the unit tests of its page: a run per
client, latency and workers, with every field the page reads."""

from __future__ import annotations

from typing import Any

from bench.summary import SLOW, ZERO


def bench_run(kind: str, latency: str, workers: int, per_row_s: float, **extra: Any) -> dict[str, Any]:
    rows = 200
    robot = kind.startswith("robot")
    return {
        "kind": kind,
        "latency": latency,
        "workers": workers,
        "rows": rows,
        "ok": rows,
        "confirmed": rows,
        "wall_s": per_row_s * rows + (5.0 if robot else 0.5),
        "steady_s": per_row_s,
        "first_row_s": 5.0,
        "after_rows_s": 2.0,
        "total_s": per_row_s * rows + 7.0,
        "cpu_s": {"browser": 0.4 * rows, "driver": 0.1 * rows, "robot": 0.02 * rows, "machine": 1.0 * rows},
        "requests": {"GET /swOrigin/api/supplement/certList": rows, "POST /swOrigin/api/supplement/save": rows},
        "steps_s": {"查询证书": 0.3 * rows, "提交": 0.4 * rows} if robot else {},
        "step_calls": {"查询证书": rows, "提交": rows} if robot else {},
        "phase_s": {"SupplementDialog.fill": 0.05 * rows} if robot else {},
        "min_submit_interval_s": 1.0 if robot else None,
        "search_mode": "list" if kind == "robot" else ("row" if robot else None),
        "loadavg": 3.0,
        **extra,
    }


def results_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "started": "2026-12-02T05:00:00",
        "elapsed_s": 600,
        "settings": {"rows": 200, "runs": 1, "workers": [1, 2], "certs": 600, "command": "python -m bench"},
        "machine": {
            "cpu": "x",
            "cores": 2,
            "memory_gib": 8,
            "os": "linux",
            "python": "3.11",
            "playwright": "1",
            "browser_version": "c",
        },
        "runs": runs,
    }


RUNS = [
    bench_run("floor_bare", SLOW, 1, 0.65),
    bench_run("floor", SLOW, 1, 1.0),
    bench_run("browser_min", SLOW, 1, 0.8),
    bench_run("robot", SLOW, 1, 0.9),
    bench_run("robot_per_row", SLOW, 1, 1.5),
    bench_run("floor", SLOW, 2, 0.5),
    bench_run("robot", SLOW, 2, 0.5),
    bench_run("floor", ZERO, 1, 0.1),
    bench_run("robot", ZERO, 1, 0.6),
]
