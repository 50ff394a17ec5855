"""The one typed configuration of corobot: every setting, its default, and where it is read from.

Precedence (later wins): the defaults below < `corobot.toml` (current folder, or `--config`) <
environment variables (`CO_*`) < command-line flags. The password is never stored in this file's
objects as plain `str`: it is a `Secret`, read from `CO_PASSWORD` or the system keyring
(service `corobot`, user = the account).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from robot.secrets import Secret

KEYRING_SERVICE = "corobot"


@dataclass(frozen=True)
class Settings:
    """Every setting with its default. Keys in corobot.toml use these names; env vars are CO_<NAME>."""

    portal_url: str = "http://127.0.0.1:8000"
    """Base URL of the portal (CO_PORTAL_URL)."""
    username: str = ""
    """Portal account (CO_USERNAME)."""
    password: Secret = field(default_factory=lambda: Secret(""))
    """Portal password (CO_PASSWORD, else the keyring). Never logged."""
    state_dir: Path = Path("data/state")
    """Journal, saved login and lock file live here (CO_STATE_DIR)."""
    out_dir: Path | None = None
    """Where reports go; None = beside the input workbook (CO_OUT_DIR, --out)."""
    headed: bool = False
    """Show the browser window (--headed); lets the operator type the captcha if OCR fails."""
    workers: int = 1
    """Browser tabs working rows in parallel (--workers), at most max_workers."""
    max_workers: int = 4
    """Politeness cap on workers."""
    action_timeout_ms: int = 15_000
    """How long one click/fill/wait may take before it counts as a system error."""
    navigation_timeout_ms: int = 30_000
    """How long a page load may take."""
    dialog_open_timeout_ms: int = 4_000
    """How long to wait for the 补录 dialog after a click before clicking again."""
    row_attempts: int = 3
    """Attempts per row on system errors (timeouts, 5xx, dialog did not open, session expired)."""
    max_consecutive_system_errors: int = 8
    """After this many system errors in a row, the run stops with exit code 3."""
    backoff_s: float = 1.0
    """First retry delay; doubles each attempt (capped at 30 s)."""
    captcha_attempts: int = 6
    """Login attempts (each with a fresh captcha) before giving up with exit code 3."""
    captcha_solver: str = "ocr"
    """ocr (ddddocr, offline), manual (operator types it, with --headed), or test-api (mock portal only)."""
    min_submit_interval_s: float = 0.0
    """Politeness: minimum seconds between two submissions of the whole robot."""
    receipt_deadline_s: float = 60.0
    """After the rows, wait this long at most for the portal to reach a final 补录状态."""
    receipt_poll_s: float = 5.0
    """How often to re-read 补录信息查询 while waiting for final statuses."""
    browser_executable: str = ""
    """Browser to launch; empty = the rule in robot.browser_path (CO_BROWSER)."""

    def redacted(self) -> dict[str, Any]:
        """Settings as a dict fit for logs and reports (the password masked)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Secret | Path) else value
        return out


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if name == "password":
        return raw if isinstance(raw, Secret) else Secret(str(raw))
    if "Path" in str(kind):
        return Path(raw) if raw not in (None, "") else None
    if "bool" in str(kind):
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in {"1", "true", "yes", "on"}
    if "int" in str(kind) and "float" not in str(kind):
        return int(raw)
    if "float" in str(kind):
        return float(raw)
    return str(raw)


def load_settings(config_file: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Builds Settings from defaults, corobot.toml, CO_* environment variables and CLI overrides."""
    values: dict[str, Any] = {}
    path = config_file or Path("corobot.toml")
    if path.exists():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        section = data.get("corobot", data)
        values.update({k: v for k, v in section.items() if k in _names()})
    for name in _names():
        env = os.environ.get(f"CO_{name.upper()}")
        if env is not None and env != "":
            values[name] = env
    if os.environ.get("CO_BROWSER"):
        values["browser_executable"] = os.environ["CO_BROWSER"]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    settings = replace(Settings(), **{k: _coerce(k, v) for k, v in values.items()})
    if not settings.password and settings.username:
        settings = replace(settings, password=_keyring_password(settings.username))
    return replace(settings, workers=max(1, min(settings.workers, settings.max_workers)))


def _names() -> list[str]:
    return [f.name for f in fields(Settings)]


def _keyring_password(username: str) -> Secret:
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, username)
    except Exception:
        value = None
    return Secret(value or "")
