"""End to end: the login kept between runs (session.json, 0600) and renewed when the portal expires it
mid-run, and `--cdp` attaching to a Chrome the operator started and logged into."""

from __future__ import annotations

import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from mock_portal import guide_steps
from mock_portal.harness import TestApi
from robot.commands.demo import mock_portal
from robot.commands.wiring import portal_workers
from robot.core.exit_codes import ExitCode
from robot.core.secrets import Secret
from robot.engine.job import RunRequest, run_job
from robot.session.browser_path import find_browser
from tests.support.robot_settings import settings_for
from tests.support.watch import PASSWORD, cli_env, corobot, sample, submitted
from tests.support.workbooks import USER, sheet_rows

pytestmark = pytest.mark.e2e
LOGGED_IN = "logged in as"


@pytest.fixture(scope="module")
def portal_url(frontend: str) -> Iterator[str]:
    with mock_portal("--receipt-delay", "1") as url:
        yield url


def _log(report: Path | None) -> str:
    assert report is not None
    return report.with_suffix(".log").read_text(encoding="utf-8")


def test_session_expiring_mid_run_heals_without_losing_a_row(portal_url: str, tmp_path: Path) -> None:
    certs = sample(portal_url, tmp_path / "过期.xlsx", 0, 6)
    api = TestApi(portal_url)
    # The portal expires every session after the 3rd and the 6th 补录: once between rows, once just
    # before the receipts are read (a moment that does not depend on the machine's speed).
    api.chaos(expire_after_submits=3)
    try:
        settings = settings_for(portal_url, tmp_path, captcha_solver="test-api", recycle_every_rows=4)
        result = run_job(settings, RunRequest(tmp_path / "过期.xlsx"), workers=portal_workers)
    finally:
        api.chaos(expire_after_submits=0)
    assert result.exit_code == ExitCode.OK
    assert {c: submitted(portal_url)[c] for c in certs} == dict.fromkeys(certs, 1)
    log = _log(result.report)
    assert log.count(LOGGED_IN) >= 3, log
    assert result.report is not None
    # the receipts were read after the second expiry too
    assert [r["补录状态"] for r in sheet_rows(result.report, "明细")] == ["海关接收成功"] * 6, log


def test_saved_login_is_private_and_reused_without_a_password(portal_url: str, tmp_path: Path) -> None:
    login = corobot(cli_env(portal_url, tmp_path), "login")
    assert login.wait(timeout=300) == ExitCode.OK
    saved = tmp_path / "state" / "session.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    certs = sample(portal_url, tmp_path / "免登录.xlsx", 6, 2)
    settings = replace(settings_for(portal_url, tmp_path), password=Secret(""))
    result = run_job(settings, RunRequest(tmp_path / "免登录.xlsx"), workers=portal_workers)
    assert result.exit_code == ExitCode.OK
    assert {c: submitted(portal_url)[c] for c in certs} == dict.fromkeys(certs, 1)
    assert LOGGED_IN not in _log(result.report)


@pytest.fixture()
def operator_chrome(portal_url: str, tmp_path: Path) -> Iterator[str]:
    """A Chrome started with remote debugging, logged in to the portal by 'the operator'."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            find_browser(),
            "--headless=new",
            "--no-sandbox",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tmp_path / 'chrome'}",
            "--no-first-run",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cdp = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{cdp}/json/version").raise_for_status()
            break
        except httpx.HTTPError:
            assert time.monotonic() < deadline, "Chrome did not open its debugging port"
            time.sleep(0.2)
    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(cdp)
        page = browser.contexts[0].new_page()
        guide_steps.login(page, portal_url, USER, PASSWORD, TestApi(portal_url).captcha)
        browser.close()
    yield cdp
    proc.terminate()
    proc.wait(timeout=10)


def test_run_with_cdp_uses_the_operators_login(portal_url: str, tmp_path: Path, operator_chrome: str) -> None:
    certs = sample(portal_url, tmp_path / "卡介质.xlsx", 8, 2)
    env = cli_env(portal_url, tmp_path, CO_PASSWORD="", CO_CAPTCHA_SOLVER="ocr")
    run = corobot(env, "run", str(tmp_path / "卡介质.xlsx"), "--cdp", operator_chrome)
    _, err = run.communicate(timeout=400)
    assert run.returncode == ExitCode.OK, err[-2000:]
    assert {c: submitted(portal_url)[c] for c in certs} == dict.fromkeys(certs, 1)
    assert httpx.get(f"{operator_chrome}/json/version").status_code == 200  # the operator's Chrome lives on
    assert not (tmp_path / "state" / "session.json").exists()
