"""End to end: `corobot doctor`, the site survey — every guide step found on the mock portal (exit 0,
a bundle without secrets), exactly the renamed step named when a menu entry is renamed (exit 3), with
the portal profile's `[words]` line that adapts the robot — and with that line, every step found."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_portal.harness import DEMO_PASSWORD, Portal, start_portal, stop_portal
from robot.core.exit_codes import ExitCode
from tests.support.workbooks import USER

pytestmark = pytest.mark.e2e
STEPS = [
    "一.1",
    "一.2",
    "一.3",
    "一.4",
    "一.5",
    "一.6",
    "一.7",
    "一.8",
    "一.9",
    "二.1",
    "二.2",
    "二.3",
    "二.4",
    "二.5",
    "二.6",
    "二.7",
]


def doctor(url: str, out: Path, profile: Path | None = None) -> tuple[int, list[str]]:
    """Runs `corobot doctor`; its exit code and its step lines (each with its advice lines, if any)."""
    env = {
        **os.environ,
        "CO_PORTAL_URL": url,
        "CO_USERNAME": USER,
        "CO_PASSWORD": DEMO_PASSWORD,
        "CO_CAPTCHA_SOLVER": "test-api",
        "CO_STATE_DIR": str(out.parent / "state"),
    }
    if profile is not None:
        env["CO_PORTAL_PROFILE"] = str(profile)
    done = subprocess.run(
        [sys.executable, "-m", "robot", "doctor", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    lines: list[str] = []
    for line in done.stdout.splitlines():
        if line.startswith("["):
            lines.append(line)
        elif line.startswith(" ") and lines:
            lines[-1] += "\n" + line
    return done.returncode, lines


def _step(lines: list[str], step: str) -> str:
    return next(line for line in lines if line.startswith(f"[{step}]"))


@pytest.fixture(scope="module")
def survey(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, list[str], Path]]:
    portal = start_portal("--test-api")
    out = tmp_path_factory.mktemp("doctor") / "bundle"
    try:
        code, lines = doctor(portal.url, out)
    finally:
        stop_portal(portal)
    yield code, lines, out


def test_every_guide_step_is_found(survey: tuple[int, list[str], Path]) -> None:
    code, lines, _ = survey
    assert [line.split("]")[0][1:] for line in lines] == STEPS
    assert all("] 找到" in line for line in lines), "\n".join(lines)
    assert code == ExitCode.OK


def test_bundle_has_a_screenshot_per_step_and_a_trace_without_secrets(survey: tuple[int, list[str], Path]) -> None:
    _, _, out = survey
    assert {p.stem for p in out.glob("*.png")} >= {s for s in STEPS if s.startswith("一")} | {"二.6", "二.7"}
    assert (out / "doctor.txt").read_text(encoding="utf-8").count("找到") == len(STEPS)
    with zipfile.ZipFile(out / "trace.zip") as trace:
        text = "\n".join(
            trace.read(n).decode("utf-8", "replace") for n in trace.namelist() if n.endswith((".trace", ".network"))
        )
    assert "CASID=" not in text and DEMO_PASSWORD not in text
    assert '"name": "Cookie", "value": "******"' in text  # cookies were there, and were removed


@pytest.fixture(scope="module")
def renamed(frontend: str) -> Iterator[Portal]:
    portal = start_portal("--test-api", "--rename-menu", "补录信息查询=补录查询")
    yield portal
    stop_portal(portal)


def test_a_renamed_menu_entry_is_named_as_the_one_step_not_found(renamed: Portal, tmp_path: Path) -> None:
    code, lines = doctor(renamed.url, tmp_path / "bundle")
    missing = [line for line in lines if "] 未找到" in line]
    assert [line.split("]")[0][1:] for line in missing] == ["二.6"], "\n".join(lines)
    assert "补录信息查询" in missing[0] and "补录查询" in missing[0]  # looked for, and seen instead
    assert "未检查" in _step(lines, "二.7")
    assert all("] 找到" in _step(lines, s) for s in STEPS[:14])
    assert code == ExitCode.PORTAL_UNAVAILABLE
    assert (tmp_path / "bundle" / "二.6.html").exists()


def test_the_profile_line_doctor_prints_adapts_the_robot(renamed: Portal, tmp_path: Path) -> None:
    _, lines = doctor(renamed.url, tmp_path / "first")
    advice = [line.strip() for line in _step(lines, "二.6").splitlines()[1:]]
    assert advice and advice[0].endswith('"补录信息查询" = "补录查询"'), "\n".join(lines)
    profile = tmp_path / "portal-profile.toml"
    profile.write_text("[words]\n" + advice[0].split("  ")[-1] + "\n", encoding="utf-8")
    code, again = doctor(renamed.url, tmp_path / "again", profile)
    assert all("] 找到" in line for line in again), "\n".join(again)
    assert code == ExitCode.OK
