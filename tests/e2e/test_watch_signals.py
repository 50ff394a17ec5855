"""End to end: `corobot watch` killed with SIGKILL mid-run and started again loses and repeats nothing;
SIGTERM stops it within 10 s with the journal consistent and no browser process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from robot.commands.demo import mock_portal
from robot.core.exit_codes import ExitCode
from robot.engine.journal import Journal
from robot.store.schema import entries
from tests.support.watch import cli_env, corobot, group_processes, sample, submitted

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.frontend_neutral,
    pytest.mark.skipif(os.name == "nt", reason="POSIX signals and process groups"),
    pytest.mark.timeout(1200),  # a run killed and run again: minutes on a busy machine
]


@pytest.fixture(scope="module")
def portal_url(frontend: str) -> Iterator[str]:
    with mock_portal("--receipt-delay", "1") as url:
        yield url


def _wait_for_submissions(url: str, certs: list[str], at_least: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 400
    while sum(submitted(url)[c] for c in certs) < at_least:
        assert time.monotonic() < deadline and proc.poll() is None, "the robot never submitted"
        time.sleep(0.2)


def test_sigkill_then_watch_again_loses_and_repeats_nothing(portal_url: str, tmp_path: Path) -> None:
    certs = sample(portal_url, tmp_path / "inbox" / "八行.xlsx", 0, 8)
    env = cli_env(portal_url, tmp_path)
    first = corobot(env, "watch", "--once")
    _wait_for_submissions(portal_url, certs, 2, first)
    os.killpg(first.pid, signal.SIGKILL)  # the robot and its browser, like a power cut
    first.communicate()
    assert (tmp_path / "inbox" / "processing" / "八行.xlsx").exists()
    second = corobot(env, "watch", "--once")
    second.communicate(timeout=500)
    assert second.returncode == ExitCode.OK
    assert (tmp_path / "inbox" / "done" / "八行.xlsx").exists()
    counts = submitted(portal_url)
    assert {c: counts[c] for c in certs} == dict.fromkeys(certs, 1)


def test_sigterm_stops_within_10s_cleanly(portal_url: str, tmp_path: Path) -> None:
    certs = sample(portal_url, tmp_path / "inbox" / "停止.xlsx", 8, 8)
    proc = corobot(cli_env(portal_url, tmp_path), "watch", "--every", "1h")
    _wait_for_submissions(portal_url, certs, 1, proc)
    os.kill(proc.pid, signal.SIGTERM)
    sent = time.monotonic()
    proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10
    assert proc.returncode == ExitCode.STOPPED
    assert group_processes(proc.pid) == []
    with Journal(tmp_path / "state" / "journal.sqlite3") as journal:
        run = journal.runs(1)[0]
        states = {c: journal_state(journal, c) for c in certs}
    assert run.finished_at is not None and run.exit_code == ExitCode.STOPPED
    on_portal = {c for c in certs if submitted(portal_url)[c]}
    assert {c for c, s in states.items() if s == "submitted"} <= on_portal
    assert on_portal <= {c for c, s in states.items() if s in ("submitted", "intent")}
    assert (tmp_path / "inbox" / "processing" / "停止.xlsx").exists()


def journal_state(journal: Journal, cert_no: str) -> str:
    with journal.engine.connect() as conn:
        return conn.scalar(select(entries.c.state).where(entries.c.cert_no == cert_no)) or ""
