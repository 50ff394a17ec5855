"""End to end: `corobot watch` keeps a workbook whose rows failed only for system reasons (every XHR of
the portal answering 502) in processing/, retries it at a later look once its pause is over, and files
it under done/ once the rows pass — or under failed/ when the retry cap is reached."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mock_portal.harness import Portal, start_portal, stop_portal
from robot.core.exit_codes import ExitCode
from robot.engine.journal import file_sha256
from robot.ops.inbox_ledger import InboxLedger
from tests.support.watch import cli_env, corobot, sample, submitted

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral, pytest.mark.timeout(1800)]  # three watch runs
# (tests/e2e/conftest.py: frontend_neutral)
QUICK = {"CO_ROW_ATTEMPTS": "1", "CO_REQUEST_RETRIES": "0", "CO_WATCH_RETRY_PAUSE_S": "3600"}


@pytest.fixture(scope="module")
def portal(frontend: str) -> Iterator[Portal]:
    running = start_portal("--test-api", "--receipt-delay", "1")
    yield running
    stop_portal(running)


def watch_once(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = corobot(env, "watch", "--once")
    out, err = proc.communicate(timeout=540)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def results(report: Path) -> list[str]:
    sheet = load_workbook(report)["明细"]
    column = next(sheet.iter_rows(max_row=1, values_only=True)).index("处理结果")
    return [str(row[column]) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_rows_failing_for_system_reasons_are_retried_until_done(portal: Portal, tmp_path: Path) -> None:
    book = tmp_path / "inbox" / "系统错误.xlsx"
    certs = sample(portal.url, book, 0, 2)
    env = cli_env(portal.url, tmp_path, **QUICK)
    portal.fault("xhr", "error", 200)
    try:
        first = watch_once(env)
    finally:
        portal.fault("xhr", "error", 0)
    kept = tmp_path / "inbox" / "processing" / book.name
    assert first.returncode == ExitCode.PORTAL_UNAVAILABLE, first.stderr
    assert kept.exists() and not (tmp_path / "inbox" / "failed" / book.name).exists()
    assert "待重试" in first.stderr
    assert sum(submitted(portal.url)[c] for c in certs) == 0

    early = watch_once(env)  # its pause (an hour) is not over: left alone
    assert early.returncode == ExitCode.OK and kept.exists() and "届时再处理" in early.stderr

    with InboxLedger(tmp_path / "state") as ledger:  # an hour later
        ledger.note_retry(file_sha256(kept), datetime.now().astimezone())
    last = watch_once(env)
    assert last.returncode == ExitCode.OK, last.stderr
    done = tmp_path / "inbox" / "done"
    assert (done / book.name).exists()
    assert {c: submitted(portal.url)[c] for c in certs} == dict.fromkeys(certs, 1)
    final = max(done.glob("系统错误-结果-*.xlsx"))  # every attempt's report moved along; the newest covers all rows
    assert results(final) == ["成功", "成功"]


def test_the_retry_cap_files_the_workbook_under_failed(portal: Portal, tmp_path: Path) -> None:
    book = tmp_path / "inbox" / "上限.xlsx"
    sample(portal.url, book, 2, 1)
    portal.fault("xhr", "error", 200)
    try:
        run = watch_once(cli_env(portal.url, tmp_path, **QUICK, CO_WATCH_RETRY_MAX="1"))
    finally:
        portal.fault("xhr", "error", 0)
    failed = tmp_path / "inbox" / "failed"
    assert run.returncode == ExitCode.PORTAL_UNAVAILABLE
    assert (failed / book.name).exists()
    assert "watch_retry_max" in (failed / (book.name + ".说明.txt")).read_text(encoding="utf-8-sig")
    assert results(max(failed.glob("上限-结果-*.xlsx"))) == ["未处理"]
