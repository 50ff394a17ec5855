"""The robot hosts of one host-benchmark measurement (bench/hosts.py): N `corobot watch` processes on one
PostgreSQL queue, each with its own folder (state, inbox, `corobot.toml`) and exactly one account.

Every host's `corobot.toml` names all N accounts, each pinned to its host (`hosts = ["pc-k"]`), as
README 多台机器 shows: any host can queue a workbook whose 账号 column names them, only pc-k works the
rows of account k. The workbook's rows are dealt round the accounts (row i → account i mod N), its
certificates distinct from those of earlier measurements on the same portal (`CertPool`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

from bench.workbooks import HEADERS, PlainRow, PortalApi, plain_rows, save_rows
from robot.core.accounts import password_env

PASSWORD = "Corobot#2026"
ACCOUNT_HEADER = "账号"
STOP_GRACE_S = 60.0
"""A host stops within 10 s of SIGTERM (README); after this long its process group is killed."""


def host_name(index: int) -> str:
    return f"pc-{index + 1}"


class CertPool:
    """Approved certificates of each enterprise, each handed out once over all measurements on one portal."""

    def __init__(self, api: PortalApi) -> None:
        self.api = api
        self.used: dict[str, int] = {}

    def take(self, user: str, count: int) -> list[PlainRow]:
        start = self.used.get(user, 0)
        rows = plain_rows(self.api, start + count, user)[start:]
        self.used[user] = start + count
        return rows


def deal_rows(pool: CertPool, accounts: list[str], rows: int) -> list[tuple[str, PlainRow]]:
    """`rows` rows dealt round `accounts` (row i → account i mod N), each with a fresh certificate."""
    counts = {a: len(range(i, rows, len(accounts))) for i, a in enumerate(accounts)}
    certs = {a: iter(pool.take(a, n)) for a, n in counts.items()}
    return [(accounts[i % len(accounts)], next(certs[accounts[i % len(accounts)]])) for i in range(rows)]


def save_book(path: Path, dealt: list[tuple[str, PlainRow]]) -> Path:
    """The input workbook: one valid 是 row per certificate, its account in the 账号 column."""
    save_rows(
        path,
        [[r.authority, r.cert_no, "是", r.number, "", f"第{i}", a] for i, (a, r) in enumerate(dealt)],
        [*HEADERS, ACCOUNT_HEADER],
    )
    return path


def config_text(accounts: list[str]) -> str:
    """`corobot.toml` of every host: the N accounts, account k pinned to host pc-k."""
    lines = ["[corobot]", ""]
    for index, user in enumerate(accounts):
        lines += [f"[accounts.{user}]", f'username = "{user}"', f'hosts = ["{host_name(index)}"]', ""]
    return "\n".join(lines)


class HostGroup:
    """N host processes (`corobot watch`), each in a process group of its own, output in `<folder>/host.log`."""

    def __init__(self, portal_url: str, journal_url: str, root: Path, accounts: list[str], env: dict[str, str]) -> None:
        self.portal_url, self.journal_url, self.root = portal_url, journal_url, root
        self.accounts = accounts
        self.env = env
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: list[IO[bytes]] = []

    @property
    def names(self) -> list[str]:
        return [host_name(i) for i in range(len(self.accounts))]

    def folder(self, name: str) -> Path:
        return self.root / name

    def inbox(self, name: str) -> Path:
        return self.folder(name) / "inbox"

    def _env(self, name: str) -> dict[str, str]:
        folder = self.folder(name)
        passwords = {password_env(a): PASSWORD for a in self.accounts}
        return {
            **os.environ,
            "CO_PORTAL_URL": self.portal_url,
            "CO_JOURNAL_URL": self.journal_url,
            "CO_HOST_NAME": name,
            "CO_STATE_DIR": str(folder / "state"),
            "CO_INBOX_DIR": str(folder / "inbox"),
            **passwords,
            **self.env,
        }

    def start(self) -> None:
        for name in self.names:
            folder = self.folder(name)
            self.inbox(name).mkdir(parents=True, exist_ok=True)
            config = folder / "corobot.toml"
            config.write_text(config_text(self.accounts), encoding="utf-8")
            log = (folder / "host.log").open("wb")
            self._logs.append(log)
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "robot", "watch", "--config", str(config), "--every", "1h"],
                cwd=folder,
                env=self._env(name),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ended(self) -> dict[str, int]:
        """Hosts that ended on their own, with their exit codes."""
        return {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}

    def stop(self) -> dict[str, int | None]:
        """SIGTERM to every host's process group; SIGKILL to those still there after STOP_GRACE_S. Exit codes."""
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        codes: dict[str, int | None] = {}
        for name, proc in self.procs.items():
            try:
                codes[name] = proc.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                codes[name] = None
        for log in self._logs:
            log.close()
        return codes

    def log_tail(self, name: str, chars: int = 2000) -> str:
        path = self.folder(name) / "host.log"
        return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else ""
