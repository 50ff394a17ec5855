"""End to end: nothing the robot keeps can be replayed as a portal session. The robot runs a workbook
with a failing row on the mock portal (its trace and screenshot are kept) and `corobot doctor` writes
its bundle; every cookie-like or token-like value in the text of every kept file (zip members read one
by one: traces, the result workbook) is sent back to the portal as its session cookie, and none opens
a logged-in page — while the robot's own saved login (the positive control) does, and its value
appears in no kept file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from mock_portal.harness import DEMO_PASSWORD, start_portal, stop_portal
from robot.commands.wiring import portal_workers
from robot.core.config import Settings
from robot.core.secrets import Secret
from robot.engine.job import RunRequest, run_job
from robot.session.session_store import session_path
from tests.support.watch import cli_env
from tests.support.workbooks import USER, plain_sample

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral, pytest.mark.timeout(900)]  # see tests/e2e/conftest.py
SESSION_COOKIE = "CASID"
"""The mock portal's session cookie (as the real site's CAS)."""
TOKEN = re.compile(r"[A-Za-z0-9_\-.~+/%]{16,200}")
"""A value that could be a session id or a token (the mock's are 32 URL-safe characters)."""
COOKIE_PAIR = re.compile(r"([A-Za-z][\w-]{1,40})=([A-Za-z0-9_\-.~+/%:!*@$]{6,400})")


@pytest.fixture(scope="module")
def kept(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """The portal's URL, the folder of everything the robot and doctor kept, the saved session's value."""
    work = tmp_path_factory.mktemp("secrets")
    portal = start_portal("--test-api", "--receipt-delay", "1")
    try:
        book = plain_sample(portal.url, work / "清单.xlsx", 2).path
        wb = load_workbook(book)
        wb.active.append(["海关", "A269999999999999", "否", "", "", "门户中没有此证书"])  # fails: evidence kept
        wb.save(book)
        settings = replace(
            Settings(),
            portal_url=portal.url,
            username=USER,
            password=Secret(DEMO_PASSWORD),
            state_dir=work / "state",
            out_dir=work / "out",
            receipt_deadline_s=120,
            receipt_poll_s=1,
            backoff_s=0.2,
            min_submit_interval_s=0.0,
            captcha_solver="test-api",
        )
        result = run_job(settings, RunRequest(book), workers=portal_workers)
        assert result.report is not None
        doctor = subprocess.run(
            [sys.executable, "-m", "robot", "doctor", "--out", str(work / "out" / "doctor")],
            env=cli_env(portal.url, work),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert (work / "out" / "doctor" / "trace.zip").exists(), doctor.stdout + doctor.stderr
        saved = json.loads(session_path(settings.state_dir).read_text(encoding="utf-8"))
        live = next(c["value"] for c in saved["cookies"] if c["name"] == SESSION_COOKIE)
        yield portal.url, work / "out", live
    finally:
        stop_portal(portal)


def texts(folder: Path) -> dict[str, str]:
    """The text of every kept file; a zip (trace, workbook, bundle) member by member."""
    found: dict[str, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    found[f"{path}!{member}"] = archive.read(member).decode("utf-8", "replace")
        else:
            found[str(path)] = path.read_bytes().decode("utf-8", "replace")
    return found


def candidates(text: str) -> set[str]:
    values = {m.group(2) for m in COOKIE_PAIR.finditer(text)}
    values.update(TOKEN.findall(text))
    return {v.strip(".") for v in values} - {""}


def home_page(client: httpx.Client, live: str) -> str:
    """The logged-in home page the portal's front page leads the live session to."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, live)
    answer = client.get("/", follow_redirects=True)
    assert answer.status_code == 200 and answer.url.path not in ("/", "/cas/login"), answer.url
    return answer.url.path


def logged_in(client: httpx.Client, home: str, value: str) -> bool:
    """Whether the portal opens its logged-in home page to a session cookie `value` (else: to login)."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value)
    answer = client.get(home)
    return answer.status_code == 200


def test_kept_files_hold_a_trace_of_the_failed_row_and_the_doctor_bundle(kept: tuple[str, Path, str]) -> None:
    _, out, _ = kept
    traces = [p.name for p in out.rglob("*.trace.zip")]
    assert traces and any(p.name == "trace.zip" for p in (out / "doctor").iterdir()), traces
    with zipfile.ZipFile(next(out.rglob("*.trace.zip"))) as trace:
        network = trace.read("trace.network").decode("utf-8")
    assert '"name": "Cookie", "value": "******"' in network  # the row's requests carried the session


def test_the_live_session_appears_in_no_kept_file(kept: tuple[str, Path, str]) -> None:
    url, out, live = kept
    with httpx.Client(base_url=url, timeout=10) as client:
        assert logged_in(client, home_page(client, live), live)  # the positive control: a leak would be seen
    for name, text in texts(out).items():
        assert live not in text, name
        assert not re.search(rf"{SESSION_COOKIE}=(?!\*{{6}})", text), name


def test_no_value_found_in_a_kept_file_opens_a_portal_session(kept: tuple[str, Path, str]) -> None:
    url, out, live = kept
    values = set().union(*(candidates(text) for text in texts(out).values()))
    assert len(values) > 50  # the search did read the traces
    with httpx.Client(base_url=url, timeout=10) as client:
        home = home_page(client, live)
        working = [v for v in sorted(values) if logged_in(client, home, v)]
    assert working == []
