"""Starts the mock portal as a subprocess and talks to its /__test__/ API (for tests and scripts)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from typing import Any

import httpx

DEMO_PASSWORD = "Corobot#2026"
CHAOS_DEFAULTS: dict[str, Any] = {
    "latency_ms": 0,
    "jitter_ms": 0,
    "error_rate": 0.0,
    "session_lifetime": 0.0,
    "dialog_fail_rate": 0.0,
    "notice": True,
    "receipt_delay": 1.0,
    "hang_rate": 0.0,
    "hang_kinds": "page,xhr,login",
    "expire_after_submits": 0,
}


class TestApi:
    """Small client of the portal's /__test__/ API."""

    __test__ = False  # not a test class

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url + "/__test__", timeout=10)

    def _get(self, path: str, **params: Any) -> Any:
        response = self.http.get(path, params={k: v for k, v in params.items() if v is not None})
        response.raise_for_status()
        return response.json()

    def submissions(self, enterprise: str | None = None, cert_no: str | None = None) -> list[dict[str, Any]]:
        return self._get("/submissions", enterprise=enterprise, certNo=cert_no)

    def certificates(self, user: str) -> list[dict[str, Any]]:
        return self._get("/certificates", enterprise=user)

    def declarations(self, user: str) -> list[dict[str, Any]]:
        return self._get("/declarations", enterprise=user)

    def captcha(self, sid: str | None = None) -> str:
        return self._get("/captcha", sid=sid)["answer"]

    def accounts(self) -> list[dict[str, Any]]:
        return self._get("/accounts")

    @property
    def frontend(self) -> str:
        """The front end the portal serves: "layui" or "accessible"."""
        return self._get("/frontend")["frontend"]

    def reset(self) -> None:
        self.http.post("/reset").raise_for_status()

    def chaos(self, **knobs: Any) -> dict[str, Any]:
        """Sets the given knobs (none: just reads them); returns the current settings."""
        response = self.http.post("/chaos", json=knobs) if knobs else self.http.get("/chaos")
        response.raise_for_status()
        return response.json()

    def fault(self, kind: str, fault: str = "hang", count: int = 1) -> dict[str, Any]:
        """Arms a fault drill: the next `count` requests of `kind` (page, xhr, login, any) hang or fail."""
        response = self.http.post("/fault", json={"kind": kind, "fault": fault, "count": count})
        response.raise_for_status()
        return response.json()

    def expire(self) -> None:
        """Every logged-in session expires now (as the portal's own session timeout would)."""
        self.http.post("/expire").raise_for_status()

    def faults(self) -> dict[str, Any]:
        return self._get("/fault")

    def requests(self) -> dict[str, int]:
        """Requests that reached the portal since it started, by "METHOD /path" (test API not counted)."""
        return self._get("/requests")

    def wait_final(self, cert_no: str, timeout: float = 10.0) -> dict[str, Any]:
        """Polls until the latest submission of `cert_no` has left 已申报; returns it."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.submissions(cert_no=cert_no)
            if rows and rows[-1]["status"] != "已申报":
                return rows[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no receipt for {cert_no}: {rows}")
            time.sleep(0.2)


class Portal(TestApi):
    """A running mock portal: `.url`, the test API methods (also reachable as `.api`), its process."""

    def __init__(self, url: str, process: subprocess.Popen[str] | None = None) -> None:
        super().__init__(url)
        self.url = url
        self.process = process

    @property
    def api(self) -> TestApi:
        return self


def _read_lines(stream: Any, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def start_portal(*extra: str, frontend: str | None = None, timeout: float = 30.0) -> Portal:
    """Starts `python -m mock_portal --port 0 …` and waits for its listening line.

    `frontend` ("layui" | "accessible") adds `--frontend`; without it the portal's default applies
    (`MOCK_FRONTEND` in the environment, else layui).
    """
    chosen = ("--frontend", frontend) if frontend else ()
    cmd = [sys.executable, "-m", "mock_portal", "--port", "0", *chosen, *extra]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        if line.startswith("mock portal listening on "):
            url = line.split(" on ", 1)[1].split()[0]  # the line goes on with the variant's seed
            return Portal(url, process)
    process.kill()
    raise RuntimeError("mock portal did not start:\n" + "".join(seen))


def stop_portal(portal: Portal) -> None:
    if portal.process is not None:
        portal.process.terminate()
        try:
            portal.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            portal.process.kill()
