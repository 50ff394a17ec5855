"""End to end with the mock's two enterprises (exporter1, exporter2) as two accounts of one robot:
a mixed workbook, a wrong password and a wrong enterprise, another portal address, SIGKILL and rerun."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from robot.commands.demo import mock_portal
from robot.commands.wiring import portal_workers
from robot.core.accounts import Account
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.secrets import Secret
from robot.engine.job import RunRequest, run_job

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral]  # see tests/e2e/conftest.py

PASSWORD = "Corobot#2026"
XIAN, SILK = "西安秦川机电进出口有限公司", "陕西丝路国际贸易有限公司"


@pytest.fixture(scope="module")
def url(frontend: str) -> Iterator[str]:
    with mock_portal("--receipt-delay", "1", "--certs", "400") as running:
        yield running


def rows_of(url: str, user: str, start: int, count: int) -> list[tuple[str, str, str]]:
    """(签证机构, 证明号, 报关单号) of `count` approved certificates of `user` from index `start`."""
    certs = httpx.get(f"{url}/__test__/certificates", params={"enterprise": user}).json()
    decls = httpx.get(f"{url}/__test__/declarations", params={"enterprise": user}).json()
    good = [d["number"] for d in decls if d["flag"] == "0" and d["status"] in ("放行", "结关")]
    approved = [c for c in certs if c["approved"]]
    picked = list(zip(approved, good, strict=False))[start : start + count]
    assert len(picked) == count
    return [(c["authority"], c["certNo"], number) for c, number in picked]


def book(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "补录清单"
    ws.append(["签证机构", "证明号", "报关单号", "账号"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def submitted(url: str, user: str) -> Counter[str]:
    rows = httpx.get(f"{url}/__test__/submissions", params={"enterprise": user}).json()
    return Counter(s["certNo"] for s in rows)


def detail(report: Path) -> list[dict[str, object]]:
    values = list(load_workbook(report)["明细"].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def two_accounts(url: str, tmp: Path, **changes: object) -> Settings:
    accounts = (
        Account("default", "exporter1", Secret(PASSWORD), enterprise=XIAN, label="default"),
        Account("silk", "exporter2", Secret(PASSWORD), enterprise=SILK, label="silk"),
    )
    base = replace(
        Settings(),
        portal_url=url,
        state_dir=tmp / "state",
        out_dir=tmp / "out",
        receipt_deadline_s=120,
        receipt_poll_s=1,
        backoff_s=0.2,
        min_submit_interval_s=0.0,
        captcha_solver="test-api",
        accounts=accounts,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def mixed(url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list, list]:
    tmp = tmp_path_factory.mktemp("mixed")
    xian, silk = rows_of(url, "exporter1", 0, 3), rows_of(url, "exporter2", 0, 3)
    path = book(
        tmp / "两家企业.xlsx",
        [
            (*xian[0], ""),
            (*silk[0], "silk"),
            (*xian[1], "default"),
            (*silk[1], "exporter2"),
            (*xian[2], ""),
            (*silk[2], "silk"),
            (*xian[0][:2], xian[0][2], "nobody"),
        ],
    )
    return tmp, path, xian, silk


def test_mixed_workbook_each_row_once_under_its_enterprise(url: str, mixed: tuple) -> None:
    tmp, path, xian, silk = mixed
    result = run_job(two_accounts(url, tmp), RunRequest(path), workers=portal_workers)
    assert result.exit_code == ExitCode.ROWS_FAILED and result.accounts == ("default", "silk")
    assert submitted(url, "exporter1") == Counter(c for _, c, _ in xian)  # the test API says whose it is
    assert submitted(url, "exporter2") == Counter(c for _, c, _ in silk)
    assert result.report is not None
    rows = detail(result.report)
    assert [r["处理账号"] for r in rows] == ["default", "silk", "default", "silk", "default", "silk", None]
    assert [r["处理结果"] for r in rows] == ["成功"] * 6 + ["无效"]
    assert "未配置的账号" in str(rows[6]["说明"])
    summary = list(load_workbook(result.report)["汇总"].iter_rows(values_only=True))
    per_account = {r[0]: r[1:] for r in summary if r[0] in ("default", "silk")}
    assert per_account["default"][0] == 3 and per_account["silk"][0] == 3


def test_same_certificate_on_another_portal_address_is_looked_up(url: str, mixed: tuple) -> None:
    tmp, path, _, _ = mixed
    before = submitted(url, "exporter1") + submitted(url, "exporter2")
    other = url.replace("127.0.0.1", "localhost")
    assert other != url
    result = run_job(two_accounts(other, tmp), RunRequest(path), workers=portal_workers)
    assert submitted(url, "exporter1") + submitted(url, "exporter2") == before
    assert result.report is not None
    rows = detail(result.report)[:6]
    assert all(r["处理结果"] == "跳过" for r in rows)
    assert all("门户已有相同报关单号的补录" in str(r["说明"]) for r in rows)  # read on the portal, not the journal


def test_wrong_password_or_enterprise_leaves_only_that_accounts_rows(url: str, tmp_path: Path) -> None:
    ok, locked = rows_of(url, "exporter1", 3, 2), rows_of(url, "exporter2", 3, 1)
    imposter = rows_of(url, "exporter2", 4, 1)
    accounts = (
        Account("ok", "exporter1", Secret(PASSWORD), enterprise=XIAN, label="ok"),
        Account("silk", "exporter2", Secret("wrong-password"), label="silk"),
        Account("imposter", "exporter2", Secret(PASSWORD), enterprise=XIAN, label="imposter"),
    )
    path = book(
        tmp_path / "in.xlsx", [(*ok[0], "ok"), (*locked[0], "silk"), (*imposter[0], "imposter"), (*ok[1], "ok")]
    )
    result = run_job(two_accounts(url, tmp_path, accounts=accounts), RunRequest(path), workers=portal_workers)
    assert result.exit_code == ExitCode.PORTAL_UNAVAILABLE
    assert result.report is not None
    rows = detail(result.report)
    assert [r["处理结果"] for r in rows] == ["成功", "未处理", "未处理", "成功"]
    assert "登录失败" in str(rows[1]["说明"]) and "silk" in str(rows[1]["说明"])
    assert "企业" in str(rows[2]["说明"]) and XIAN in str(rows[2]["说明"])
    got = submitted(url, "exporter2")
    assert got[locked[0][1]] == 0 and got[imposter[0][1]] == 0
    assert all(submitted(url, "exporter1")[c] == 1 for _, c, _ in ok)


def _cli(url: str, folder: Path, workbook: Path) -> subprocess.Popen[bytes]:
    (folder / "corobot.toml").write_text(
        f'[corobot]\nportal_url = "{url}"\nworkers = 2\nmax_workers = 2\nmin_submit_interval_s = 0\n'
        'captcha_solver = "test-api"\nreceipt_deadline_s = 120\n'
        '[accounts.default]\nusername = "exporter1"\n[accounts.silk]\nusername = "exporter2"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "CO_PASSWORD_DEFAULT": PASSWORD, "CO_PASSWORD_SILK": PASSWORD}
    return subprocess.Popen(
        [sys.executable, "-m", "robot", "run", str(workbook), "--out", str(folder / "out")],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.drill  # `make drills`; make test kills and reruns in test_fault_drills and test_watch_signals
@pytest.mark.timeout(1500)
def test_sigkill_midway_then_rerun_two_accounts_exactly_once(url: str, tmp_path: Path) -> None:
    xian, silk = rows_of(url, "exporter1", 10, 12), rows_of(url, "exporter2", 10, 12)
    path = book(tmp_path / "kill.xlsx", [(*x, "") for x in xian] + [(*s, "silk") for s in silk])
    mine = {c for _, c, _ in xian + silk}

    def count() -> int:
        return sum(n for c, n in (submitted(url, "exporter1") + submitted(url, "exporter2")).items() if c in mine)

    first = _cli(url, tmp_path, path)
    deadline = time.monotonic() + 500
    while count() < 6 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.3)
    os.killpg(first.pid, signal.SIGKILL)  # the robot and its browser, like a power cut
    first.wait()
    assert 0 < count() < 24
    second = _cli(url, tmp_path, path)
    assert second.wait(timeout=900) == ExitCode.OK
    assert {c: n for c, n in submitted(url, "exporter1").items() if c in mine} == {c: 1 for _, c, _ in xian}
    assert {c: n for c, n in submitted(url, "exporter2").items() if c in mine} == {c: 1 for _, c, _ in silk}
