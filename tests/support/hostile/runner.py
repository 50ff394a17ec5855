"""Running the hostile corpus and judging each verdict: `corobot validate` in child processes (a batch
process for most files, one process each for the big or dangerous ones) and `corobot watch --once` on an
inbox holding them. Each child's peak memory is its own VmHWM (tests.support.hostile.measured): wait4's ru_maxrss
would carry over the peak of this process at fork time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.hostile.corpus import Case

MAX_RSS_MIB = 500
MAX_CPU_S = 30.0
"""A bound against runaway reading (a quadratic path, a loop), not a speed target (that is `make bench`): the
million-row file takes 7–10 s of CPU on a quiet 2-core machine and more beside the e2e tests."""
MAX_OUTPUT_CHARS = 100_000
"""Nothing is echoed whole: a 5 MB cell shows as its first 50 characters and its length."""
CHILD_TIMEOUT_S = 600.0


@dataclass
class Verdict:
    name: str
    code: int | None
    output: str
    cpu_s: float = 0.0
    wall_s: float = 0.0
    rss_mib: float = 0.0
    size: int = 0
    crashed: str = ""


@dataclass
class Child:
    returncode: int
    rss_mib: float
    cpu_s: float
    wall_s: float
    stdout: str
    stderr: str


PACKAGE = "tests.support.hostile"
MEASURED = f"{PACKAGE}.measured"


def run_child(argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = CHILD_TIMEOUT_S) -> Child:
    """Runs `argv`, returns its exit status (negative: signal), peak RSS and CPU time from wait4."""
    stamp = time.monotonic_ns()
    out, err, rss = cwd / f".out-{stamp}", cwd / f".err-{stamp}", cwd / f".rss-{stamp}"
    env = {**(env or os.environ), "HOSTILE_RSS_FILE": str(rss)}
    started = time.perf_counter()
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    text = (out.read_text(encoding="utf-8", errors="replace"), err.read_text(encoding="utf-8", errors="replace"))
    out.unlink()
    err.unlink()
    # No report: it crashed. ru_maxrss then also counts the RSS this (pytest) process had when it forked.
    peak = int(rss.read_text()) / 1024 if rss.exists() else usage.ru_maxrss / 1024
    rss.unlink(missing_ok=True)
    return Child(proc.returncode, peak, usage.ru_utime + usage.ru_stime, wall, *text)


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CO_")}
    env.update({"PYTHONPATH": str(Path(__file__).resolve().parents[3]), "PYTHONIOENCODING": "utf-8", **extra})
    return env


def run_batch(cases: list[Case], paths: dict[str, Path], workdir: Path) -> tuple[dict[str, Verdict], Child]:
    """`corobot validate` (its `main`) on every case in one child; a case that kills it is reported crashed
    and the rest run in a fresh child."""
    verdicts: dict[str, Verdict] = {}
    todo = list(cases)
    last: Child | None = None
    while todo:
        manifest = workdir / "manifest.json"
        manifest.write_text(
            json.dumps(
                [{"name": c.name, "path": str(paths[c.name]), "args": list(c.args)} for c in todo], ensure_ascii=False
            ),
            encoding="utf-8",
        )
        last = run_child([sys.executable, "-m", MEASURED, f"{PACKAGE}.batch", str(manifest)], workdir, child_env())
        started = None
        for line in last.stdout.split("\n"):
            if not line.strip():
                continue
            item = json.loads(line)
            if "start" in item:
                started = item["start"]
                continue
            started = None
            verdicts[item["name"]] = Verdict(
                item["name"], item["code"], item["output"], item["cpu_s"], item["wall_s"], item["rss_mib"], item["size"]
            )
        done = {c.name for c in todo if c.name in verdicts}
        if started is not None:
            verdicts[started] = Verdict(
                started, None, last.stderr[-3000:], crashed=f"exit status {last.returncode}", rss_mib=last.rss_mib
            )
            done.add(started)
        elif last.returncode != 0:
            for c in todo:
                verdicts.setdefault(
                    c.name, Verdict(c.name, None, last.stderr[-3000:], crashed=f"batch exit status {last.returncode}")
                )
            break
        todo = [c for c in todo if c.name not in done]
    assert last is not None
    return verdicts, last


def run_alone(case: Case, path: Path, workdir: Path) -> Verdict:
    """`python -m robot validate FILE` in its own process: a crash is seen as a crash."""
    command = [sys.executable, "-m", MEASURED, "robot", "validate", str(path), *case.args]
    child = run_child(command, workdir, child_env())
    output = child.stdout + child.stderr
    crashed = "" if child.returncode in (0, 1, 2) else f"exit status {child.returncode}"
    return Verdict(
        case.name, child.returncode, output[-200_000:], child.cpu_s, child.wall_s, child.rss_mib, len(output), crashed
    )


def judge(case: Case, verdict: Verdict) -> str | None:
    """What is wrong with a verdict, or None when it is right."""
    if verdict.crashed:
        return f"crashed ({verdict.crashed}): {verdict.output[-500:]}"
    problems = []
    if verdict.code != case.exit:
        problems.append(f"exit {verdict.code}, expected {case.exit}")
    missing = [t for t in case.expect if t not in verdict.output]
    if missing:
        problems.append(f"output lacks {missing}")
    if "Traceback" in verdict.output:
        problems.append("a traceback in the output")
    if verdict.size > MAX_OUTPUT_CHARS:
        problems.append(f"{verdict.size} characters of output")
    if verdict.rss_mib > MAX_RSS_MIB:
        problems.append(f"peak RSS {verdict.rss_mib:.0f} MiB")
    if verdict.cpu_s > MAX_CPU_S:
        problems.append(f"{verdict.cpu_s:.1f} s of CPU")
    return "; ".join(problems) + f" — output: {verdict.output[:600]!r}" if problems else None


@dataclass
class InboxRun:
    child: Child
    inbox: Path
    notes: dict[str, str]
    """file name → its note in failed/ ('' when the file is not in failed/)."""
    left: list[str]
    """Files left at the top of the inbox or in processing/."""


def run_inbox(cases: list[Case], paths: dict[str, Path], workdir: Path) -> InboxRun:
    """`corobot watch --once` on an inbox holding every case's file."""
    inbox = workdir / "inbox"
    inbox.mkdir(parents=True)
    for case in cases:
        (inbox / case.file_name).write_bytes(paths[case.name].read_bytes())
    env = child_env(
        CO_INBOX_DIR=str(inbox),
        CO_STATE_DIR=str(workdir / "state"),
        CO_INBOX_SETTLE_S="0.05",
        CO_PORTAL_URL="http://127.0.0.1:9",
    )
    child = run_child([sys.executable, "-m", MEASURED, "robot", "watch", "--once"], workdir, env)
    failed = inbox / "failed"
    notes = {}
    for case in cases:
        note = failed / f"{case.file_name}.说明.txt"
        notes[case.file_name] = note.read_text(encoding="utf-8-sig") if note.exists() else ""
    left = [p.name for p in inbox.iterdir() if p.is_file()]
    left += [p.name for p in (inbox / "processing").iterdir()] if (inbox / "processing").exists() else []
    return InboxRun(child, inbox, notes, left)
