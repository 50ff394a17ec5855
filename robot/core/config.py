"""The one typed configuration of corobot: every setting, its default, and where it is read from.

Precedence (later wins): the defaults below < `corobot.toml` (current folder, or `--config`) <
environment variables (`CO_*`) < command-line flags. The password is never stored in this file's
objects as plain `str`: it is a `Secret`, read from `CO_PASSWORD` or the system keyring
(service `corobot`, user = the account).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from loguru import logger

from robot.core.accounts import Account, AccountConfigError, parse_accounts
from robot.core.secrets import Secret

KEYRING_SERVICE = "corobot"


SEARCH_MODES = ("list", "row")
"""Values of the setting search_mode."""


class ConfigError(ValueError):
    """The configuration cannot be used (named file missing); the message is for users."""


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
    journal_url: str = ""
    """Where the journal, run history, inbox ledger and console users live (CO_JOURNAL_URL): empty = the
    embedded SQLite file state_dir/journal.sqlite3; `postgresql://user:password@host:5432/db` = a PostgreSQL
    shared by every host pointed at it (docs/storage.md). Its password is never logged."""
    out_dir: Path | None = None
    """Where reports go; None = beside the input workbook (CO_OUT_DIR, --out)."""
    headed: bool = False
    """Show the browser window (--headed); lets the operator type the captcha if OCR fails."""
    workers: int = 1
    """Browser tabs working rows in parallel (--workers), at most max_workers."""
    max_workers: int = 2
    """Politeness cap on workers: at most this many tabs work the portal at once."""
    search_mode: str = "list"
    """list: rows sharing one search (same 签证机构, and the same or no 证明类型, 出口商代码, 证明创建日期) are
    worked down one result list, page by page, with one 【查询】 for all of them; row: one 【查询】 per row
    (--search-mode). Single rows, and rows whose certificate is not on the list, are searched on their own."""
    action_timeout_ms: int = 15_000
    """How long one click/fill/wait may take before it counts as a system error."""
    navigation_timeout_ms: int = 30_000
    """How long a page load may take (the 补录 dialog's own page too, once the dialog is up)."""
    dialog_open_timeout_ms: int = 4_000
    """How long to wait for the 补录 dialog to come up after a click before clicking again."""
    row_attempts: int = 3
    """Attempts per row on system errors (timeouts, 5xx, dialog did not open, session expired). A row still
    failing for a system reason after them is 未处理 with 说明 “待重试：…” (never 失败): run again to resume."""
    request_retries: int = 2
    """A passing error of one request (5xx 系统繁忙, no answer, the 补录 dialog not opening) is retried this
    many times where it happened (【查询】 or 【补录】 again, no reload) before the row attempt counts as failed.
    Getting in (log-in and opening the application, some seven pages) gets row_attempts + request_retries tries."""
    row_deadline_s: float = 120.0
    """Deadline of one attempt of one row (search, dialog, 【提交】) and of one log-in into the application; when
    it passes, the worker gets a fresh browser context (or a restarted browser) and the row is tried again."""
    browser_deadline_s: float = 20.0
    """Deadline of one browser operation that has no timeout of its own (new context, new page, closing,
    storage state, trace, screenshot); a browser that does not answer in time is restarted."""
    max_recoveries: int = 5
    """Fresh contexts or browser restarts after a deadline with no row worked in between (an attempt the
    portal answered: 成功, 已提交, 失败, 已补录); one more ends the run with exit code 3. A row keeps its
    attempt after a recovery at most this many times."""
    watchdog_s: float = 60.0
    """When no row has progressed for this long, the log says what every worker is waiting for."""
    stall_limit_s: float = 600.0
    """When no row has progressed for this long, the run is stopped (exit code 3; running again resumes)."""
    max_consecutive_system_errors: int = 8
    """After this many system errors in a row, the run stops with exit code 3."""
    backoff_s: float = 1.0
    """First retry delay; doubles each attempt (capped at 30 s)."""
    portal_profile: Path | None = None
    """The portal profile (CO_PORTAL_PROFILE): a TOML file of what the robot must know about the portal
    beyond the guide's words (start address, message texts, waits); None = the mock portal's values
    (flows/profiles/mock.toml, which documents every key)."""
    captcha_attempts: int = 6
    """Login attempts (each with a fresh captcha) before giving up with exit code 3."""
    captcha_solver: str = "ocr"
    """ocr (ddddocr, offline), manual (operator types it, with --headed), console (always asked of a person in
    the web console of `corobot serve`), or test-api (mock portal only)."""
    captcha_help_after: int = 3
    """Under `corobot serve`: after this many OCR attempts of one login, the captcha is asked in the console."""
    captcha_help_timeout_s: float = 300.0
    """How long a captcha asked in the console waits for an answer before the login gives up (exit code 3)."""
    console_upload_max_mb: float = 10.0
    """Largest workbook the web console accepts for upload, in MiB."""
    console_session_max_hours: float = 12.0
    """A console login ends this many hours after it was made, however active (besides 8 h idle)."""
    console_hosts: str = ""
    """More names the console answers to in the Host header, comma-separated (e.g. robot.example.cn,
    10.0.0.5); always accepted: localhost, 127.0.0.1, ::1 and the --host address."""
    console_pending_uploads: int = 5
    """Uploads one console user may have checked but not yet confirmed or discarded."""
    console_pending_upload_minutes: float = 60.0
    """An upload neither confirmed nor discarded is discarded after this many minutes."""
    min_submit_interval_s: float = 1.0
    """Politeness: minimum seconds between two 【提交】 of the whole robot (all workers together)."""
    receipt_deadline_s: float = 60.0
    """After the rows, wait this long at most for the portal to reach a final 补录状态."""
    receipt_poll_s: float = 5.0
    """How often to re-read 补录信息查询 while waiting for final statuses."""
    browser_executable: str = ""
    """Browser to launch; empty = the rule in robot.session.browser_path (CO_BROWSER)."""
    cdp_url: str = ""
    """Attach to a Chrome the operator started with --remote-debugging-port and logged into (card login
    卡介质), e.g. http://127.0.0.1:9222 (CO_CDP_URL, --cdp), instead of launching a browser."""
    keep_session: bool = True
    """Keep the login between runs in state_dir/session.json (Playwright storage state, file mode 0600)."""
    recycle_every_rows: int = 100
    """A worker's browser context is replaced by a fresh one (same login) after this many rows and after a
    page crash; 0 = never by count."""
    stop_grace_s: float = 6.0
    """On SIGTERM or Ctrl-C, rows in flight get this long to finish before they are cancelled (the robot
    is gone within 10 s; the journal tells the next run what may have been sent)."""
    max_rows: int = 50_000
    """Input workbook: most data rows read from the sheet; a sheet with more is refused (exit code 2)."""
    max_columns: int = 64
    """Input workbook: most columns of the header row; a wider header is refused (cells right of the header's
    last column are never kept)."""
    max_cell_chars: int = 32_768
    """Input workbook: most characters of one cell (Excel's own limit is 32,767); a row holding a longer cell is
    rejected, and only this many characters of it are ever held."""
    max_text_chars: int = 20_000_000
    """Input workbook: most characters of cell text all data rows may hold together (a few cells pointing at
    one long shared text would otherwise make a report of gigabytes); a sheet with more is refused."""
    max_unpacked_mb: float = 64.0
    """Input workbook: most MiB its parts may unpack to in all (counted while inflating, whatever the file
    declares); a larger one is refused before it is read."""
    inbox_dir: Path = Path("data/inbox")
    """Folder `corobot watch` takes workbooks from (--inbox); processing/, done/, failed/ live inside it."""
    inbox_settle_s: float = 5.0
    """A file in the inbox is taken only when its size and time stayed the same this long."""
    watch_retry_pause_s: float = 300.0
    """`corobot watch`: a workbook whose only problems are rows 待重试 (system errors) stays in processing/ and
    is run again at a later look, no sooner than this pause after its attempt; the pause doubles each time."""
    watch_retry_max: int = 5
    """`corobot watch`: after this many runs of a workbook that still leave rows 待重试, it goes to failed/."""
    watch_every: str = "10m"
    """How often `corobot watch` looks at the inbox when neither --every, --cron nor --once is given."""
    host_name: str = ""
    """Several hosts on one PostgreSQL (journal_url): this host's name in the shared queue; empty = the
    machine's host name (docs/hosts.md)."""
    host_accounts: str = ""
    """Several hosts: the accounts this host works, separated by commas; empty = every configured account
    whose `[accounts.<name>] hosts` list is empty or names this host."""
    queue_lease_s: float = 60.0
    """Several hosts: a claimed row's lease; the host renews it every third of it while it works, and a row
    whose lease ran out (its host died) is taken over by another host."""
    queue_batch: int = 10
    """Several hosts: how many rows of one workbook and account a host claims at a time."""
    queue_poll_s: float = 5.0
    """Several hosts: how often a host with nothing to do looks at the shared queue."""
    webhook_url: Secret = field(default_factory=lambda: Secret(""))
    """After each run, POST the summary here (CO_WEBHOOK_URL). It holds the robot's key: never logged."""
    webhook_format: str = "json"
    """json (plain JSON body), wecom (企业微信群机器人) or dingtalk (钉钉群机器人)."""
    dingtalk_secret: Secret = field(default_factory=lambda: Secret(""))
    """钉钉 加签 secret (SEC…), when the group robot uses signing (CO_DINGTALK_SECRET). Never logged."""
    smtp_host: str = ""
    """After each run, mail the summary with the report attached through this server; empty = no mail."""
    smtp_port: int = 465
    """SMTP port: 465 with smtp_security=ssl, 587 with starttls, 25 with none."""
    smtp_security: str = "ssl"
    """ssl, starttls or none."""
    smtp_user: str = ""
    """SMTP login; empty = no login."""
    smtp_password: Secret = field(default_factory=lambda: Secret(""))
    """SMTP password (CO_SMTP_PASSWORD). Never logged."""
    mail_from: str = ""
    """Sender address; empty = smtp_user."""
    mail_to: str = ""
    """Recipients, separated by commas."""
    notify_on: str = "always"
    """always, or problems (only runs that did not end with exit code 0)."""
    enterprise: str = ""
    """The enterprise name the portal header must show after login (CO_ENTERPRISE); empty = not checked.
    The robot refuses to work rows when the portal shows another enterprise."""
    accounts: tuple[Account, ...] = ()
    """Several accounts: the `[accounts.<name>]` tables (robot.core.accounts); empty = the single account
    above. Not an environment variable."""
    account: str = ""
    """Which account these settings are for (robot.core.account_settings.settings_for); "" = the single
    account above. Internal: names the saved login file."""

    def redacted(self) -> dict[str, Any]:
        """Settings as a dict fit for logs and reports (the password masked)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Secret | Path) else value
        if self.journal_url:
            out["journal_url"] = redact_url(self.journal_url)
        return out


def redact_url(url: str) -> str:
    """A database address fit for logs: its password masked, in the user part and in the query."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    rest = re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", rest)
    userinfo, at, host = rest.rpartition("@")
    if not at or ":" not in userinfo:
        return f"{scheme}://{rest}"
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if "Secret" in str(kind):
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
    tables: Any = None
    path = config_file or Path("corobot.toml")
    if config_file is not None and not config_file.exists():
        raise ConfigError(f"找不到配置文件：{config_file}")
    if path.exists():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        section = data.get("corobot", data)
        tables = data.get("accounts") or section.get("accounts")
        unknown = sorted(set(section) - set(_names()) - {"accounts"})
        if unknown:
            logger.warning("{} 中有未知的设置（已忽略，请检查拼写）：{}", path, "、".join(unknown))
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
    try:
        accounts = parse_accounts(tables, os.environ, _keyring_password)
    except AccountConfigError as error:
        raise ConfigError(f"{path}：{error}") from error
    if settings.search_mode not in SEARCH_MODES:
        raise ConfigError(f"search_mode 只能是 {' 或 '.join(SEARCH_MODES)}（现为“{settings.search_mode}”）")
    return replace(settings, workers=max(1, min(settings.workers, settings.max_workers)), accounts=accounts)


def _names() -> list[str]:
    return [f.name for f in fields(Settings) if f.name not in _INTERNAL]


_INTERNAL = frozenset({"accounts", "account"})


def _keyring_password(username: str) -> Secret:
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, username)
    except Exception:
        value = None
    return Secret(value or "")
