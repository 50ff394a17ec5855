"""One measured run each: the floor client or the robot, against a fresh mock portal, as plain dicts.

Every run starts its own mock portal (`python -m mock_portal --port 0 --test-api`, same seed, so the
same certificates) and, for the robot, a fresh journal folder, so every row is really submitted.
Afterwards the portal's test API confirms how many submissions arrived and tells how many requests of
each kind reached it during the run (`requests`: "METHOD /path" → count; the client's round trips).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.floor import FloorRow, run_floor
from bench.sampler import Sampler, system_busy_s
from bench.workbooks import USER, plain_rows, save_plain
from mock_portal.harness import Portal, start_portal, stop_portal
from robot.core.model import Result

ROBOT_TIMEOUT_S = 3 * 3600
RECEIPT_DELAY_S = 86_400
"""Customs receipts are left out: none arrives during a run, so the mock never settles receipts
(with a short delay, every request after a submit would rebuild its receipt registry)."""


@dataclass(frozen=True)
class Latency:
    """Server latency as the mock applies it: latency_ms + uniform(0, jitter_ms)."""

    name: str
    latency_ms: int
    jitter_ms: int

    @property
    def flags(self) -> list[str]:
        return ["--latency-ms", str(self.latency_ms), "--jitter-ms", str(self.jitter_ms)]


ZERO = Latency("0 ms", 0, 0)
SLOW = Latency("300 ms ± 50", 250, 100)


@contextmanager
def fresh_portal(latency: Latency, certs: int) -> Iterator[Portal]:
    portal = start_portal(
        "--test-api", "--certs", str(certs), "--receipt-delay", str(RECEIPT_DELAY_S), *latency.flags, timeout=120
    )
    try:
        yield portal
    finally:
        stop_portal(portal)


DONE_RESULTS = (Result.SUCCESS.value, Result.SUBMITTED.value)
"""Rows the robot entered: 成功, or 已提交，待回执 (no receipt arrives during a run)."""

PER_ROW_SETTING = ("search_mode", "row")
"""The robot's setting for one 【查询】 per row (its default works rows down one result list)."""


def per_row_settings() -> dict[str, str] | None:
    """The settings that make the robot search row by row, or None when it has no list-wise mode
    (then its default is per-row already)."""
    from robot.core.config import Settings

    key, value = PER_ROW_SETTING
    defaults = Settings()
    if not hasattr(defaults, key) or getattr(defaults, key) == value:
        return None
    return {key: value}


def _submitted(portal: Portal) -> int:
    return len(portal.submissions(enterprise=USER))


def _requests_since(portal: Portal, before: dict[str, int]) -> dict[str, int]:
    after = portal.requests()
    return {k: n - before.get(k, 0) for k, n in sorted(after.items()) if n - before.get(k, 0)}


def floor_run(latency: Latency, rows: int, workers: int, certs: int, dialog: bool = True) -> dict[str, Any]:
    """The honest floor (`dialog=True`, kind `floor`) or the bare one (kind `floor_bare`)."""
    with fresh_portal(latency, certs) as portal:
        todo = [FloorRow(r.authority, r.cert_no, True, (r.number,)) for r in plain_rows(portal, rows)]
        before = portal.requests()
        busy = system_busy_s()
        result = run_floor(portal.url, todo, workers, dialog=dialog)
        busy = system_busy_s() - busy
        requests = _requests_since(portal, before)
        confirmed = _submitted(portal)
    stamps = sorted(result.submitted)
    last = stamps[-1] if stamps else result.finished
    return {
        "kind": "floor" if dialog else "floor_bare",
        "latency": latency.name,
        "workers": workers,
        "rows": rows,
        "ok": result.ok,
        "confirmed": confirmed,
        "failures": result.failures[:5],
        "wall_s": last - result.started,
        "login_s": result.logged_in - result.started,
        "steady_s": _steady(stamps),
        "search_s": _median(result.search_s),
        "dialog_s": _median(result.dialog_s),
        "submit_s": _median(result.submit_s),
        "requests": requests,
        "machine_cpu_s": busy,
        "loadavg": os.getloadavg()[0],
    }


def robot_run(
    latency: Latency,
    rows: int,
    workers: int,
    certs: int,
    no_trace: bool = False,
    interval: float = 0.25,
    submit_interval: float | None = None,
    settings: dict[str, str] | None = None,
    kind: str = "robot",
) -> dict[str, Any]:
    """The robot at its defaults, except `submit_interval` (min_submit_interval_s) and `settings`."""
    with fresh_portal(latency, certs) as portal, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook = save_plain(folder / "rows.xlsx", plain_rows(portal, rows))
        result_file = folder / "result.json"
        cmd = [
            sys.executable,
            "-m",
            "bench.robot_once",
            "--url",
            portal.url,
            "--workbook",
            str(workbook),
            "--state",
            str(folder / "state"),
            "--out",
            str(folder / "out"),
            "--workers",
            str(workers),
            "--result",
            str(result_file),
        ]
        for key, value in (settings or {}).items():
            cmd += ["--setting", f"{key}={value}"]
        if no_trace:
            cmd.append("--no-trace")
        if submit_interval is not None:
            cmd += ["--submit-interval", str(submit_interval)]
        before = portal.requests()
        with (folder / "robot.log").open("w", encoding="utf-8") as log:
            spawned = time.time()
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
            extra = {"portal": portal.process.pid} if portal.process else {}
            with Sampler(proc.pid, folder / "state" / "journal.sqlite3", interval=interval, extra_cpu=extra) as sampler:
                try:
                    proc.wait(timeout=ROBOT_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        child = _child_result(proc.returncode, result_file, folder / "robot.log", "robot")
        requests = _requests_since(portal, before)
        confirmed = _submitted(portal)
    samples = sampler.result
    ok = sum(int(child["counts"].get(result, 0)) for result in DONE_RESULTS)
    done = samples.first_reaching(ok) if ok else None
    first = samples.first_reaching(1)
    last_t = done.t if done else child["finished"]
    at50 = min(50, ok)
    return {
        "kind": f"{kind}-no-trace" if no_trace else kind,
        "latency": latency.name,
        "workers": workers,
        "rows": rows,
        "ok": ok,
        "confirmed": confirmed,
        "exit_code": child["exit_code"],
        "counts": child["counts"],
        "spawn_s": child["started"] - spawned,
        "wall_s": last_t - child["started"],
        "first_row_s": (first.t - child["started"]) if first else None,
        "steady_s": (last_t - first.t) / (ok - 1) if first and done and ok > 1 else None,
        "after_rows_s": child["finished"] - last_t,
        "total_s": child["finished"] - child["started"],
        "robot_peak_mib": child["peak_rss_mib"],
        "robot_sampled_peak_mib": samples.peak("robot_mib"),
        "driver_peak_mib": samples.peak("driver_mib"),
        "browser_peak_mib": samples.peak("browser_mib"),
        "browser_at50_mib": samples.around(at50, "browser_mib"),
        "browser_atlast_mib": samples.around(ok, "browser_mib"),
        "browser_types_at50": samples.types_around(at50),
        "browser_types_atlast": samples.types_around(ok),
        "curve": [
            (round(s.t - child["started"], 2), s.rows, round(s.browser_mib, 1), round(s.robot_mib, 1))
            for s in samples.samples
        ],
        "cpu_s": samples.cpu_s,
        "browser_cpu_steady_s": (done.browser_cpu_s - first.browser_cpu_s) / (ok - 1)
        if first and done and ok > 1
        else None,
        "loadavg": os.getloadavg()[0],
        "phase_s": child["phase_s"],
        "phase_calls": child["phase_calls"],
        "steps_s": child.get("steps_s", {}),
        "step_calls": child.get("step_calls", {}),
        "requests": requests,
        "missing_phases": child["missing_phases"],
        "min_submit_interval_s": child.get("min_submit_interval_s"),
        "search_mode": child.get("search_mode"),
        "settings": settings or {},
    }


def browser_min_run(latency: Latency, rows: int, certs: int) -> dict[str, Any]:
    """The least a browser does per row (bench.browser_min, kind `browser_min`), 1 worker."""
    with fresh_portal(latency, certs) as portal, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook = save_plain(folder / "rows.xlsx", plain_rows(portal, rows))
        result_file = folder / "result.json"
        cmd = [sys.executable, "-m", "bench.browser_min", "--url", portal.url, "--workbook", str(workbook)]
        before = portal.requests()
        with (folder / "run.log").open("w", encoding="utf-8") as log:
            proc = subprocess.run(
                [*cmd, "--result", str(result_file)], stdout=log, stderr=subprocess.STDOUT, timeout=ROBOT_TIMEOUT_S
            )
        child = _child_result(proc.returncode, result_file, folder / "run.log", "browser_min")
        requests = _requests_since(portal, before)
        confirmed = _submitted(portal)
    stamps = child["stamps"]
    cpu = child["browser_cpu_s"]
    ok = len(stamps)
    return {
        "kind": "browser_min",
        "latency": latency.name,
        "workers": 1,
        "rows": rows,
        "ok": ok,
        "confirmed": confirmed,
        "wall_s": (stamps[-1] if stamps else child["finished"]) - child["started"],
        "first_row_s": stamps[0] - child["started"] if stamps else None,
        "steady_s": _steady(stamps),
        "cpu_s": {"browser": cpu[-1]} if cpu else {},
        "browser_cpu_steady_s": (cpu[-1] - cpu[0]) / (ok - 1) if len(cpu) == 2 and ok > 1 else None,
        "requests": requests,
        "loadavg": os.getloadavg()[0],
    }


def _child_result(returncode: int, result_file: Path, log: Path, what: str) -> dict[str, Any]:
    """What a measured child process wrote to its `--result` file; its log's tail in the error when none."""
    if returncode != 0 or not result_file.exists():
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{what} run failed (exit {returncode}):\n{tail}")
    child: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    return child


def _steady(stamps: list[float]) -> float | None:
    return (stamps[-1] - stamps[0]) / (len(stamps) - 1) if len(stamps) > 1 else None


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else None
