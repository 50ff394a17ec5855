"""Samples a running robot from outside: rows done (its journal), memory and CPU of its processes.

A thread polls every `interval` seconds, for as long as the robot process lives (bounded also by
`max_seconds`): the count of `submitted` entries in the robot's SQLite journal (read-only), and with
psutil the RSS and CPU time of the robot's Python process, the Playwright driver (node) and every
browser process (grouped by Chromium's `--type=`: browser, renderer, gpu-process, utility, zygote).
Optionally it also reads the CPU time of other processes (the mock portal) for the CPU budget.

RSS of browser processes is summed; shared pages are counted once per process (RSS, not PSS).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil


@dataclass
class Sample:
    t: float
    rows: int
    robot_mib: float
    driver_mib: float
    browser_mib: float
    browser_by_type: dict[str, float]
    browser_cpu_s: float = 0.0
    """CPU seconds of all browser processes so far (each process's last reading, ended ones included)."""


@dataclass
class Samples:
    samples: list[Sample] = field(default_factory=list)
    cpu_s: dict[str, float] = field(default_factory=dict)
    """CPU seconds (user+system) per group over the run: robot, driver, browser, and extra names."""

    def peak(self, attr: str) -> float:
        return max((getattr(s, attr) for s in self.samples), default=0.0)

    def first_reaching(self, rows: int) -> Sample | None:
        return next((s for s in self.samples if s.rows >= rows), None)

    def _before_done(self) -> list[Sample]:
        """Samples up to the moment the last row was done (not the tail: 补录信息查询 pass, report)."""
        top = max((s.rows for s in self.samples), default=0)
        done = self.first_reaching(top)
        return [s for s in self.samples if done is None or s.t <= done.t]

    def around(self, rows: int, attr: str, window: int = 5) -> float:
        """Median of `attr` over the samples taken while rows done were within ±window of `rows`."""
        values = sorted(getattr(s, attr) for s in self._before_done() if abs(s.rows - rows) <= window)
        if not values:
            hit = self.first_reaching(rows)
            return getattr(hit, attr) if hit else 0.0
        return values[len(values) // 2]

    def types_around(self, rows: int, window: int = 5) -> dict[str, float]:
        near = [s for s in self._before_done() if abs(s.rows - rows) <= window] or [
            s for s in [self.first_reaching(rows)] if s
        ]
        if not near:
            return {}
        mid = sorted(near, key=lambda s: s.browser_mib)[len(near) // 2]
        return dict(mid.browser_by_type)


def _kind(proc: psutil.Process) -> str:
    try:
        name = proc.name().lower()
        if "node" in name:
            return "driver"
        if "chrom" in name or "headless_shell" in name:
            for arg in proc.cmdline():
                if arg.startswith("--type="):
                    return "browser:" + arg.split("=", 1)[1]
            return "browser:browser"
        return "other"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "gone"


class Sampler:
    """`with Sampler(pid, journal) as s: …` then `s.result`."""

    def __init__(
        self,
        pid: int,
        journal: Path,
        interval: float = 0.25,
        max_seconds: float = 4 * 3600,
        extra_cpu: dict[str, int] | None = None,
    ) -> None:
        self.root = psutil.Process(pid)
        self.journal = journal
        self.interval = interval
        self.max_seconds = max_seconds
        self.extra = {name: psutil.Process(p) for name, p in (extra_cpu or {}).items()}
        self.result = Samples()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._cpu_by_pid: dict[int, tuple[str, float]] = {}
        self._extra_start: dict[str, float] = {}
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> Sampler:
        self._busy_start = system_busy_s()
        for name, proc in self.extra.items():
            self._extra_start[name] = _cpu(proc)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        for name, proc in self.extra.items():
            self.result.cpu_s[name] = _cpu(proc) - self._extra_start[name]
        totals: dict[str, float] = {}
        for group, seconds in self._cpu_by_pid.values():
            totals[group] = totals.get(group, 0.0) + seconds
        self.result.cpu_s.update(totals)
        busy = system_busy_s() - self._busy_start
        self.result.cpu_s["machine"] = busy
        self.result.cpu_s["foreign"] = max(
            0.0, busy - sum(v for k, v in self.result.cpu_s.items() if k not in ("machine", "foreign", "other", "gone"))
        )
        if self._db is not None:
            self._db.close()

    def _rows(self) -> int:
        if self._db is None:
            if not self.journal.exists():
                return 0
            try:
                self._db = sqlite3.connect(f"file:{self.journal}?mode=ro", uri=True, timeout=1, check_same_thread=False)
            except sqlite3.Error:
                return 0
        try:
            return int(self._db.execute("SELECT count(*) FROM entries WHERE state = 'submitted'").fetchone()[0])
        except sqlite3.Error:
            return self.result.samples[-1].rows if self.result.samples else 0

    def _loop(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                if not self.root.is_running() or self.root.status() == psutil.STATUS_ZOMBIE:
                    return
            except psutil.NoSuchProcess:  # it ended between the two questions
                return
            self._sample()
            self._stop.wait(self.interval)

    def _sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        robot = driver = browser = 0.0
        by_type: dict[str, float] = {}
        for proc in procs:
            kind = "robot" if proc.pid == self.root.pid else _kind(proc)
            try:
                rss = proc.memory_info().rss / 2**20
                cpu = _cpu(proc)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            group = kind.split(":")[0]
            self._cpu_by_pid[proc.pid] = (group, cpu)
            if kind == "robot":
                robot += rss
            elif kind == "driver":
                driver += rss
            elif group == "browser":
                browser += rss
                sub = kind.split(":", 1)[1]
                by_type[sub] = by_type.get(sub, 0.0) + rss
        cpu_so_far = sum(seconds for group, seconds in self._cpu_by_pid.values() if group == "browser")
        self.result.samples.append(Sample(time.time(), self._rows(), robot, driver, browser, by_type, cpu_so_far))


def system_busy_s() -> float:
    """CPU seconds the whole machine spent busy (all cores, all processes) since boot; on a virtual
    machine not the time the host took for other guests (steal, see `StealClock`)."""
    times = psutil.cpu_times()
    return _total(times) - times.idle - getattr(times, "iowait", 0.0) - getattr(times, "steal", 0.0)


def _total(times: Any) -> float:
    """All CPU time in `times` (psutil.cpu_times()); guest time is already inside user and nice."""
    return sum(times) - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)


class StealClock:
    """The share of this virtual machine's CPU time the host gave to others (the `st` column of
    vmstat) between `start()` and `share()`: 0.0 on a machine of its own. Steal looks like busy CPU
    to the guest, yet no process here used it; a run under heavy steal is slow for reasons outside it."""

    def __init__(self) -> None:
        self._start = psutil.cpu_times()

    def share(self) -> float:
        now = psutil.cpu_times()
        total = _total(now) - _total(self._start)
        stolen = getattr(now, "steal", 0.0) - getattr(self._start, "steal", 0.0)
        return round(stolen / total, 3) if total > 0 else 0.0


def _cpu(proc: psutil.Process) -> float:
    try:
        times = proc.cpu_times()
        return times.user + times.system
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0
