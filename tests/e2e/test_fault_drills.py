"""Fault drills (issue 12), the short CI version: 30 rows, two workers, one SIGKILL of the robot, one
request that never answers, one browser stopped (SIGSTOP) for longer than its deadlines. The run recovers
or ends with exit code 3, never hangs, loses no row and sends none twice (checked through the test API).
The same drill with 60 rows is marked `drill` (`make drills`, part of `make soak`, not `make test`);
`make soak` also runs the long version (bench/soak.py). The front end plays no part (processes, signals)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from openpyxl import load_workbook

from mock_portal.harness import Portal, start_portal, stop_portal
from robot.core.exit_codes import ExitCode
from tests.support.watch import cli_env, corobot, sample, submitted

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.frontend_neutral,
    pytest.mark.skipif(os.name == "nt", reason="POSIX signals and process groups"),
    pytest.mark.timeout(2400),
]  # each drill is several runs: 300 s, then 600 s, were hit on a busy machine

SIGTERM_CERTS = 60  # the SIGTERM drill's 20 certificates start here; the 30-row drill takes 0–29, 60-row 100–159
DEADLINES = {
    "CO_ROW_DEADLINE_S": "45",
    "CO_BROWSER_DEADLINE_S": "10",
    "CO_ACTION_TIMEOUT_MS": "10000",
    "CO_NAVIGATION_TIMEOUT_MS": "15000",
    "CO_WATCHDOG_S": "5",
    "CO_WORKERS": "2",
    "CO_MAX_WORKERS": "2",
    "CO_MAX_RECOVERIES": "10",
}
"""Shorter than the defaults, so that the hung request and the stopped browser are met within minutes; not
so short that a busy host's slowness passes for them (25 s rows and 5 s browser calls, with 5 recoveries,
spent the run's budget on slowness before the browser was stopped: exit 3 without a restart)."""


@pytest.fixture(scope="module")
def portal(frontend: str) -> Iterator[Portal]:
    running = start_portal("--test-api", "--receipt-delay", "1", "--certs", "400", "--latency-ms", "20")
    yield running
    stop_portal(running)


def browser_processes(robot_pid: int) -> list[psutil.Process]:
    """The robot's Chromium processes (main, renderers, GPU, zygotes)."""
    try:
        children = psutil.Process(robot_pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if "chrom" in child.name().lower() or "headless_shell" in child.name().lower():
                found.append(child)
        except psutil.Error:
            continue
    return found


def wait_until(check, proc: subprocess.Popen[str], what: str, limit_s: float = 400) -> None:
    """Polls `check` (a test's own look at the portal, not a robot wait) until true; the robot must live."""
    deadline = time.monotonic() + limit_s
    while not check():
        assert proc.poll() is None, f"the robot ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.3)


def finish(proc: subprocess.Popen[str]) -> int:
    """The run's exit code; a run that does not end within 10 minutes counts as a hang (the test fails)."""
    try:
        proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the robot hung")
    return proc.returncode


@pytest.mark.parametrize(
    ("start", "rows"),
    [pytest.param(0, 30, id="30-rows"), pytest.param(100, 60, id="60-rows", marks=pytest.mark.drill)],
)
def test_sigkill_hung_request_and_stopped_browser_lose_and_repeat_nothing(
    portal: Portal, tmp_path: Path, start: int, rows: int
) -> None:
    book = tmp_path / "drill.xlsx"
    certs = sample(portal.url, book, start, rows)
    env = cli_env(portal.url, tmp_path, **DEADLINES)
    out = ["--out", str(tmp_path / "out")]
    sent = lambda: sum(submitted(portal.url)[c] for c in certs)  # noqa: E731

    # 1. a power cut: the robot and its browser SIGKILLed mid-run
    first = corobot(env, "run", str(book), *out)
    wait_until(lambda: sent() >= 8, first, "8 rows sent")
    os.killpg(first.pid, signal.SIGKILL)
    first.communicate()

    # 2. run again: one XHR never answers, then the whole browser is stopped longer than its deadlines
    portal.fault("xhr", "hang", 1)
    second = corobot(env, "run", str(book), *out)
    wait_until(lambda: portal.faults()["hung"] >= 1, second, "the hung request")
    before = sent()
    wait_until(lambda: sent() >= before + 5, second, "rows after the hung request")
    stopped = browser_processes(second.pid)
    assert stopped, "no browser process found"
    for process in stopped:
        process.send_signal(signal.SIGSTOP)
    frozen = sent()
    wait_until(
        lambda: sent() > frozen or not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in stopped),
        second,
        "the robot recovering",
    )
    for process in stopped:  # whatever the robot left (it kills the stopped browser itself)
        if process.is_running():
            process.send_signal(signal.SIGCONT)
    code = finish(second)
    log = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.log"))
    assert "超时" in log and "浏览器无响应" in log
    assert code in (ExitCode.OK, ExitCode.PORTAL_UNAVAILABLE)

    # 3. rows left 待重试 (exit 3) finish in one more run, as users would do
    if code != ExitCode.OK:
        code = finish(corobot(env, "run", str(book), *out))
    assert code == ExitCode.OK
    assert {c: submitted(portal.url)[c] for c in certs} == dict.fromkeys(certs, 1)
    last = max((tmp_path / "out").glob("drill-结果-*.xlsx"))
    sheet = load_workbook(last)["明细"]
    column = next(sheet.iter_rows(max_row=1, values_only=True)).index("处理结果")
    results = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(results) == rows and Counter(results).keys() <= {"成功", "跳过"}


def test_sigterm_with_a_stopped_browser_still_ends_the_robot(portal: Portal, tmp_path: Path) -> None:
    book = tmp_path / "term.xlsx"
    certs = sample(portal.url, book, SIGTERM_CERTS, 20)
    proc = corobot(cli_env(portal.url, tmp_path, **DEADLINES), "run", str(book), "--out", str(tmp_path / "out"))
    wait_until(lambda: sum(submitted(portal.url)[c] for c in certs) >= 2, proc, "2 rows sent")
    stopped = browser_processes(proc.pid)
    for process in stopped:
        process.send_signal(signal.SIGSTOP)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.communicate(timeout=60)  # the promise is 10 s; a hang would run into this
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("SIGTERM did not end the robot with its browser stopped")
    finally:
        for process in stopped:
            if process.is_running():
                process.send_signal(signal.SIGCONT)
    assert proc.returncode == ExitCode.STOPPED
    assert not [p for p in stopped if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    log = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.log"))
    assert "已强制结束浏览器进程" in log
