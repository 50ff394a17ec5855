"""Drills of several robot hosts on one PostgreSQL queue and one mock portal (real processes, real
Chromium): two hosts share 60 rows with none sent twice and none lost; a host killed with SIGKILL mid-run
leaves its rows to the other (after their leases ran out); the database restarted mid-run and both hosts
carry on; `corobot serve` joins the queue too and its console's 主机 page shows it. The mock portal's test
API says what reached it.

The suite shares 12 rows (the machine the suite runs on works some 6 rows a minute per host); `make soak`
runs the drill of the issue, 60 rows (COROBOT_HOSTS_ROWS=60)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from robot.commands.demo import mock_portal
from tests.support.console import login_client, start_serve
from tests.support.postgres import PgServer
from tests.support.queue_db import queue_engine, reported, rows_by_host
from tests.support.watch import cli_env, corobot, sample, submitted

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(os.name == "nt", reason="POSIX signals and process groups"),
    pytest.mark.timeout(1800),  # two robots and a database on a loaded machine: a guard, not a target
]
FRONTENDS = ("layui",)
"""The drills are about hosts and the database, not the portal's pages: one front end is enough."""
ROWS = int(os.environ.get("COROBOT_HOSTS_ROWS", "12"))
DRILL_ROWS = 8
LEASE_S = "4"
DEADLINE_S = 1200


@pytest.fixture(scope="module")
def portal_url(frontend: str) -> Iterator[str]:
    with mock_portal("--receipt-delay", "1", "--latency-ms", "20") as url:
        yield url


@pytest.fixture
def engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = queue_engine(pg_url)
    yield engine
    engine.dispose()


class Hosts:
    """Host processes (`corobot watch`) of one drill, each with its own state folder and inbox."""

    def __init__(self, portal: str, journal: str, root: Path) -> None:
        self.portal, self.journal, self.root = portal, journal, root
        self.procs: dict[str, subprocess.Popen[str]] = {}

    def start(self, name: str) -> subprocess.Popen[str]:
        env = cli_env(
            self.portal,
            self.root / name,
            CO_JOURNAL_URL=self.journal,
            CO_HOST_NAME=name,
            CO_QUEUE_LEASE_S=LEASE_S,
            CO_QUEUE_BATCH="6",
            CO_QUEUE_POLL_S="0.5",
            CO_WORKERS="2",
        )
        self.procs[name] = corobot(env, "watch", "--every", "1h")
        return self.procs[name]

    def inbox(self, name: str) -> Path:
        return self.root / name / "inbox"

    def stop_all(self) -> dict[str, str]:
        """SIGTERM to every host still running; their output (stderr) by name."""
        out: dict[str, str] = {}
        for name, proc in self.procs.items():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                out[name] = proc.communicate(timeout=60)[1]
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                out[name] = proc.communicate()[1]
        return out


@pytest.fixture
def hosts(portal_url: str, pg_url: str, tmp_path: Path) -> Iterator[Hosts]:
    group = Hosts(portal_url, pg_url, tmp_path)
    yield group
    group.stop_all()


def wait_for(what: str, done: Callable[[], bool], hosts: Hosts) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def exactly_once(url: str, certs: list[str]) -> None:
    counts = submitted(url)
    sent = {c: counts[c] for c in certs}
    assert [c for c, n in sent.items() if n > 1] == [], "duplicates"
    assert [c for c, n in sent.items() if n == 0] == [], "lost"


def test_two_hosts_share_the_rows_none_twice_none_lost(portal_url: str, hosts: Hosts, engine: sa.Engine) -> None:
    certs = sample(portal_url, hosts.inbox("pc-1") / "共享.xlsx", 0, ROWS)
    hosts.start("pc-1")
    hosts.start("pc-2")
    wait_for("the report", lambda: bool(reported(engine)), hosts)
    wait_for("pc-1 to file the workbook", lambda: (hosts.inbox("pc-1") / "done" / "共享.xlsx").exists(), hosts)
    logs = hosts.stop_all()
    exactly_once(portal_url, certs)
    per_host = rows_by_host(engine)
    assert sum(per_host.values()) == ROWS
    assert set(per_host) == {"pc-1", "pc-2"}, (per_host, logs)
    assert Path(reported(engine)[0]).exists()


def test_sigkill_of_one_host_leaves_its_rows_to_the_other(portal_url: str, hosts: Hosts, engine: sa.Engine) -> None:
    certs = sample(portal_url, hosts.inbox("pc-1") / "断电.xlsx", ROWS, DRILL_ROWS)
    first = hosts.start("pc-1")
    hosts.start("pc-2")
    wait_for("pc-1 at work", lambda: rows_by_host(engine).get("pc-1", 0) >= 1 or _holding(engine, "pc-1"), hosts)
    wait_for("a submission", lambda: sum(submitted(portal_url)[c] for c in certs) >= 3, hosts)
    os.killpg(first.pid, signal.SIGKILL)  # the robot and its browser, like a power cut
    first.communicate()
    wait_for("the report", lambda: bool(reported(engine)), hosts)
    hosts.stop_all()
    exactly_once(portal_url, certs)
    assert sum(rows_by_host(engine).values()) == DRILL_ROWS


def test_the_database_restarted_mid_run_both_hosts_carry_on(
    portal_url: str,
    hosts: Hosts,
    engine: sa.Engine,
    pg_server: PgServer,
) -> None:
    certs = sample(portal_url, hosts.inbox("pc-1") / "重启.xlsx", ROWS + DRILL_ROWS, DRILL_ROWS)
    hosts.start("pc-1")
    hosts.start("pc-2")
    wait_for("a submission", lambda: sum(submitted(portal_url)[c] for c in certs) >= 3, hosts)
    pg_server.restart()
    wait_for("the report", lambda: _reported_after_restart(engine), hosts)
    ended = [name for name, proc in hosts.procs.items() if proc.poll() is not None]
    logs = hosts.stop_all()
    assert not ended, "\n".join(f"{name} ended when the database restarted:\n{logs[name][-4000:]}" for name in ended)
    exactly_once(portal_url, certs)


def _holding(engine: sa.Engine, host: str) -> bool:
    from robot.store.queue_schema import queue_rows

    with engine.connect() as db:
        return bool(db.execute(sa.select(sa.func.count()).where(queue_rows.c.host == host)).scalar())


def _reported_after_restart(engine: sa.Engine) -> bool:
    try:
        return bool(reported(engine))
    except sa.exc.OperationalError:
        return False


def test_serve_joins_the_queue_and_its_console_shows_the_hosts(
    portal_url: str, pg_url: str, tmp_path: Path, engine: sa.Engine
) -> None:
    certs = sample(portal_url, tmp_path / "serve" / "inbox" / "控制台.xlsx", ROWS + 2 * DRILL_ROWS, 2)
    served = start_serve(
        portal_url, tmp_path / "serve", CO_JOURNAL_URL=pg_url, CO_HOST_NAME="pc-9", CO_QUEUE_POLL_S="0.5"
    )
    try:
        wait_for("the report", lambda: bool(reported(engine)), Hosts(portal_url, pg_url, tmp_path))
        client, _ = login_client(served)
        page = client.get("/hosts").text
        assert "pc-9" in page and "控制台.xlsx" in page and "主机 pc-9 写出结果" in page
    finally:
        served.stop()
    exactly_once(portal_url, certs)
