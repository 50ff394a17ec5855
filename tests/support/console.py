"""Helpers for the console e2e tests: `corobot serve` as a process of its own (a console account made
with `corobot user add`), logging in through the page, and an HTTP client logged in like a browser."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Page

from tests.support.watch import cli_env

OPS, OPS_PASSWORD = "ops", "console-pass-1"
VICTIM, VICTIM_PASSWORD = "victim", "console-pass-2"


@dataclass
class Served:
    url: str
    workdir: Path
    proc: subprocess.Popen[str]
    log: Path

    def stop(self) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        return self.proc.wait(timeout=60)


def start_serve(portal_url: str, workdir: Path, *flags: str, **extra: str) -> Served:
    """`corobot serve --port 0 FLAGS` with the settings `extra` (CO_… variables) and two console accounts."""
    env = cli_env(portal_url, workdir, **extra)
    for name, password in ((OPS, OPS_PASSWORD), (VICTIM, VICTIM_PASSWORD)):
        subprocess.run(
            [sys.executable, "-m", "robot", "user", "add", name, "--password-stdin"],
            env=env,
            input=password + "\n",
            text=True,
            check=True,
            capture_output=True,
        )
    log = workdir / "serve.log"
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "robot", "serve", "--port", "0", *flags],
            env=env,
            text=True,
            encoding="utf-8",
            stdout=subprocess.PIPE,
            stderr=err,
            start_new_session=True,
        )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    found = re.search(r"https?://\S+?:\d+", first)
    assert found, f"serve did not start: {first!r} {log.read_text(encoding='utf-8')}"
    return Served(found.group(0), workdir, proc, log)


def log_in_page(page: Page, served: Served, user: str = OPS, password: str = OPS_PASSWORD) -> None:
    page.goto(served.url + "/login")
    page.get_by_label("账号").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="运行中").wait_for()


def login_client(
    served: Served, user: str = OPS, password: str = OPS_PASSWORD, **options: object
) -> tuple[httpx.Client, str]:
    """An HTTP client with a console session; and its CSRF token. `options` go to httpx.Client."""
    client = httpx.Client(base_url=served.url, timeout=30, **options)  # type: ignore[arg-type]
    answer = try_login(client, user, password)
    for _ in range(3):  # an earlier test's wrong tries from this address may still ask for a short delay
        delay = re.search(r"请 (\d+) 秒后再试", answer.text) if answer.status_code != 303 else None
        if delay is None:
            break
        time.sleep(int(delay.group(1)) + 0.5)
        answer = try_login(client, user, password)
    assert answer.status_code == 303, answer.text
    page = client.get("/running").text
    csrf = re.search(r'<meta name="csrf" content="([^"]+)"', page)
    assert csrf
    return client, csrf.group(1)


def try_login(client: httpx.Client, user: str, password: str) -> httpx.Response:
    """One login through the form (its CSRF token first); the answer (303 = logged in)."""
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token
    return client.post("/login", data={"csrf": token.group(1), "username": user, "password": password})
