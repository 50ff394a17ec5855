"""Harvest benchmark (issue 4): `corobot harvest` over 1,000+ 补录信息查询 entries, peak memory.

`python -m bench.harvest [--entries 1000] [--details 30]` seeds the mock portal with that many
supplements through the floor client (the UI's own XHRs), then runs `corobot harvest` as a
subprocess and samples the RSS of it and of its browser processes. Prints a Markdown section.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
from openpyxl import load_workbook

from bench.floor import FloorRow, run_floor
from mock_portal.harness import DEMO_PASSWORD, start_portal, stop_portal

USER = "exporter1"


@dataclass
class Measure:
    entries: int
    wall_s: float
    robot_peak_mb: float
    browser_peak_mb: float
    rows_in_sheet: int


def _seed(url: str, count: int) -> None:
    certs = [c for c in httpx.get(f"{url}/__test__/certificates", params={"enterprise": USER}).json() if c["approved"]]
    good = [
        d["number"]
        for d in httpx.get(f"{url}/__test__/declarations", params={"enterprise": USER}).json()
        if d["enterprise"] == USER and d["flag"] == "0" and d["status"] in ("放行", "结关")
    ]
    if len(certs) < count:
        raise SystemExit(f"the mock portal has only {len(certs)} approved certificates; raise --certs")
    rows = [FloorRow(c["authority"], c["certNo"], True, (good[i % len(good)],)) for i, c in enumerate(certs[:count])]
    result = run_floor(url, rows, workers=4)
    if result.ok != count:
        raise SystemExit(f"seeding failed: {result.failures[:3]}")


def _sample(pid: int, stop: threading.Event, peaks: dict[str, float]) -> None:
    while not stop.is_set():
        try:
            proc = psutil.Process(pid)
            robot = proc.memory_info().rss
            browser = 0
            for child in proc.children(recursive=True):
                try:
                    browser += child.memory_info().rss
                except psutil.Error:
                    continue
        except psutil.Error:
            break
        peaks["robot"] = max(peaks["robot"], robot)
        peaks["browser"] = max(peaks["browser"], browser)
        stop.wait(0.2)


def measure(url: str, out: Path, details: bool) -> Measure:
    env = {
        **os.environ,
        "CO_PORTAL_URL": url,
        "CO_USERNAME": USER,
        "CO_PASSWORD": DEMO_PASSWORD,
        "CO_CAPTCHA_SOLVER": "test-api",
        "CO_STATE_DIR": str(out.parent / "state"),
    }
    args = [sys.executable, "-m", "robot", "harvest", str(out)] + (["--details"] if details else [])
    peaks = {"robot": 0.0, "browser": 0.0}
    stop = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = threading.Thread(target=_sample, args=(proc.pid, stop, peaks), daemon=True)
    sampler.start()
    code = proc.wait(timeout=3600)
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"corobot harvest exited {code}")
    rows = load_workbook(out, read_only=True)["补录信息"].max_row - 1
    return Measure(rows, wall, peaks["robot"] / 2**20, peaks["browser"] / 2**20, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--details", type=int, default=30, help="entries for the --details run (0 = skip)")
    args = parser.parse_args()
    portal = start_portal("--test-api", "--certs", str(max(2600, args.entries * 26 // 10)), "--no-notice")
    try:
        _seed(portal.url, args.entries)
        with tempfile.TemporaryDirectory() as tmp:
            plain = measure(portal.url, Path(tmp) / "all.xlsx", details=False)
        detail = None
        if args.details:
            portal.reset()
            _seed(portal.url, args.details)
            with tempfile.TemporaryDirectory() as tmp:
                detail = measure(portal.url, Path(tmp) / "details.xlsx", details=True)
    finally:
        stop_portal(portal)
    print("| run | entries | wall time | per entry | robot process peak RSS | browser processes peak RSS |")
    print("|---|---|---|---|---|---|")
    for name, m in (("list only", plain), ("with 详情", detail)):
        if m is not None:
            print(
                f"| {name} | {m.entries} | {m.wall_s:.1f} s | {1000 * m.wall_s / max(1, m.entries):.0f} ms "
                f"| {m.robot_peak_mb:.0f} MiB | {m.browser_peak_mb:.0f} MiB |"
            )


if __name__ == "__main__":
    main()
