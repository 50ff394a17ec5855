"""The journal (robot.engine.journal) on each back end of the store: a real SQLite file, and a real
PostgreSQL database (the suite's server, tests/support/postgres.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from robot.core.model import STATUS_ACCEPTED, STATUS_DECLARED, STATUS_REJECTED, Authority, Task
from robot.engine.journal import FAILED, INTENT, SUBMITTED, Journal, file_sha256

NO1 = "510120240000012345"
NO2 = "510120240000012346"


def task(cert: str = "A211026902331080", numbers: tuple[str, ...] = (NO1, NO2)) -> Task:
    return Task(row=2, authority=Authority.CUSTOMS, cert_no=cert, exported=True, declaration_nos=numbers)


@pytest.fixture
def path(store_url: str | None, tmp_path: Path) -> Path | str:
    """Where the journal lives: the SQLite file of a state folder, or a fresh PostgreSQL database."""
    return store_url or tmp_path / "state" / "journal.sqlite3"


def test_runs_round_trip_after_reopen(path: Path | str, tmp_path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(tmp_path / "in.xlsx", "abc", dry_run=True)
        j.finish_run(run, {"成功": 3, "失败": 1}, tmp_path / "r.xlsx", 0)
        j.start_run(tmp_path / "in2.xlsx", "def", dry_run=False)
    with Journal(path) as j:
        newest, older = j.runs()
    assert (newest.input_sha256, newest.finished_at, newest.exit_code) == ("def", None, None)
    assert (older.id, older.dry_run, older.counts, older.exit_code) == (run, True, {"成功": 3, "失败": 1}, 0)
    assert older.report_path == tmp_path / "r.xlsx" and older.finished_at is not None


def test_runs_last_limits_and_orders_newest_first(path: Path | str) -> None:
    with Journal(path) as j:
        ids = [j.start_run(Path("in.xlsx"), str(i), dry_run=False) for i in range(5)]
        assert [r.id for r in j.runs(last=2)] == ids[:-3:-1]


def test_intent_survives_reopen_as_unfinished(path: Path | str) -> None:
    t = task()
    with Journal(path) as j:
        j.record_intent(j.start_run(Path("in.xlsx"), "x", False), t)
    with Journal(path) as j:
        [entry] = j.unfinished()
    assert (entry.key, entry.state, entry.declaration_nos) == (t.key, INTENT, (NO1, NO2))
    assert (entry.authority, entry.cert_no, entry.exported) == (Authority.CUSTOMS, t.cert_no, True)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_intent_survives_sigkill(path: Path | str) -> None:
    script = (
        "import os, signal, sys; from pathlib import Path\n"
        "from robot.engine.journal import Journal; from robot.core.model import Task, Authority\n"
        "j = Journal(sys.argv[1])\n"
        "t = Task(2, Authority.CCPIT, '24C6101A0001/00012', False, ())\n"
        "j.record_intent(j.start_run(Path('in.xlsx'), 'x', False), t)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], cwd=Path(__file__).parents[2], check=False)
    assert done.returncode == -9
    with Journal(path) as j:
        [entry] = j.unfinished()
    assert entry.cert_no == "24C6101A0001/00012" and entry.authority is Authority.CCPIT


def test_submitted_awaits_final_status(path: Path | str) -> None:
    t = task()
    with Journal(path) as j:
        run = j.start_run(Path("in.xlsx"), "x", False)
        j.record_intent(run, t)
        j.record_submitted(run, t, STATUS_DECLARED)
        assert j.unfinished() == []
        assert [e.key for e in j.awaiting_final()] == [t.key]
        j.record_status(t.key, STATUS_ACCEPTED, "")
        assert j.awaiting_final() == []
        entry = j.get(t.key)
    assert entry is not None and (entry.state, entry.status, entry.run_id) == (SUBMITTED, STATUS_ACCEPTED, run)


def test_rejected_receipt_keeps_message(path: Path | str) -> None:
    t = task()
    with Journal(path) as j:
        j.record_submitted(1, t, STATUS_DECLARED)
        j.record_status(t.key, STATUS_REJECTED, f"报关单不存在：{NO1}")
    with Journal(path) as j:
        entry = j.get(t.key)
        assert j.awaiting_final() == []
    assert entry is not None and entry.message == f"报关单不存在：{NO1}"


def test_failed_entry(path: Path | str) -> None:
    t = task()
    with Journal(path) as j:
        j.record_intent(1, t)
        j.record_failed(1, t, "未找到证书")
        entry = j.get(t.key)
        assert j.unfinished() == [] and j.awaiting_final() == []
    assert entry is not None and (entry.state, entry.message) == (FAILED, "未找到证书")


def test_status_on_intent_promotes_to_submitted(path: Path | str) -> None:
    t = task()
    with Journal(path) as j:
        j.record_intent(1, t)
        j.record_status(t.key, STATUS_DECLARED, "")
        entry = j.get(t.key)
    assert entry is not None and entry.state == SUBMITTED


def test_status_of_unknown_key_raises(path: Path | str) -> None:
    with Journal(path) as j, pytest.raises(KeyError):
        j.record_status("customs|X|1|", STATUS_ACCEPTED, "")


def test_get_unknown_key_is_none(path: Path | str) -> None:
    with Journal(path) as j:
        assert j.get("nothing") is None


def test_history_lists_every_change(path: Path | str) -> None:
    t = task()
    with Journal(path) as j:
        j.record_intent(1, t)
        j.record_submitted(1, t, STATUS_DECLARED)
        j.record_status(t.key, STATUS_ACCEPTED, "")
        states = [(e.state, e.status) for e in j.history(t.key)]
    assert states == [(INTENT, ""), (SUBMITTED, STATUS_DECLARED), (SUBMITTED, STATUS_ACCEPTED)]


def test_file_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "state" / "journal.sqlite3"
    Journal(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_writers(path: Path | str) -> None:
    with Journal(path) as j:

        def work(n: int) -> None:
            for i in range(25):
                t = task(cert=f"A{n:02d}{i:013d}", numbers=(NO1,))
                j.record_intent(1, t)
                j.record_submitted(1, t, STATUS_DECLARED)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert len(j.awaiting_final()) == 200


def test_file_sha256(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc")
    assert file_sha256(f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
