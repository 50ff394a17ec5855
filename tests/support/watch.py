"""Helpers for the unattended-operation e2e tests: workbooks from distinct certificates, the CLI's
environment, starting `corobot …` as a process of its own group, and reading the mock's submissions."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx

from tests.support.workbooks import USER, PortalData, save_rows

PASSWORD = "Corobot#2026"


def sample(url: str, path: Path, start: int, count: int) -> list[str]:
    """A workbook of `count` valid rows from the user's certificates[start:start+count]; their 证明号."""
    data = PortalData(url)
    certs = (data.customs + data.ccpit)[start : start + count]
    numbers = data.good[start : start + count]
    assert len(certs) == count and len(numbers) == count, "the mock portal has too few certificates"
    save_rows(
        path,
        [
            [c["authority"], c["certNo"], "是", n, "", f"第{i}"]
            for i, (c, n) in enumerate(zip(certs, numbers, strict=True))
        ],
    )
    return [c["certNo"] for c in certs]


def submitted(url: str) -> Counter[str]:
    rows = httpx.get(f"{url}/__test__/submissions", params={"enterprise": USER}).json()
    return Counter(s["certNo"] for s in rows)


def cli_env(url: str, workdir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CO_PORTAL_URL": url,
        "CO_USERNAME": USER,
        "CO_PASSWORD": PASSWORD,
        "CO_STATE_DIR": str(workdir / "state"),
        "CO_CAPTCHA_SOLVER": "test-api",
        "CO_RECEIPT_DEADLINE_S": "120",
        "CO_RECEIPT_POLL_S": "1",
        "CO_INBOX_SETTLE_S": "1",
        "CO_INBOX_DIR": str(workdir / "inbox"),
        "CO_BACKOFF_S": "0.2",
        "CO_MIN_SUBMIT_INTERVAL_S": "0",
        **extra,
    }


def corobot(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """`corobot ARGS` in a new session (its pid is its process group), output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "robot", *args],
        env=env,
        text=True,
        encoding="utf-8",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def group_processes(pgid: int) -> list[str]:
    """Processes still alive in a process group ("pid command" lines)."""
    out = subprocess.run(["ps", "-e", "-o", "pgid=,pid=,stat=,comm="], capture_output=True, text=True).stdout
    rows = [line.split(None, 3) for line in out.splitlines()]
    return [f"{r[1]} {r[3]}" for r in rows if len(r) == 4 and r[0] == str(pgid) and not r[2].startswith("Z")]
