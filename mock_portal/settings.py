"""Start-up settings and run-time chaos knobs of the mock portal, read from flags or MOCK_* variables."""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from mock_portal import seed
from mock_portal.variants import Variant

# Knobs that the test API may change while the portal runs.
CHAOS_FIELDS: tuple[str, ...] = (
    "latency_ms",
    "jitter_ms",
    "error_rate",
    "session_lifetime",
    "dialog_fail_rate",
    "notice",
    "receipt_delay",
    "hang_rate",
    "hang_kinds",
    "expire_after_submits",
)

# Steps the layui front end can break on purpose (`--break-page`), to check that doctor and the run agree.
BREAKS: tuple[str, ...] = ("", "numbers_field", "success_text")

# The two front ends over the same data, rules, sessions and chaos knobs (docs/portal-contract.md).
FRONTENDS: tuple[str, ...] = ("layui", "accessible")


@dataclass
class Settings:
    """Everything the app needs; chaos fields are mutable at run time."""

    host: str = "127.0.0.1"
    port: int = 0
    db: str | None = None
    seed: int = 42
    certs: int = 300
    enterprises: int = 2
    """Enterprises (logins) with data: the two demo ones, plus opt-in extras up to 5 (mock_portal/seed.py);
    the demo enterprises' data is the same whatever the count."""
    test_api: bool = False
    frontend: str = "layui"
    rename_menu: dict[str, str] = field(default_factory=dict)
    """Left-menu entries shown under another name, {old: new} (both front ends)."""
    variant: int = 0
    """Seed of the layui front end's variant (mock_portal/variants.py); 0 = the default pages."""
    variant_force: str = ""
    """Variant dimensions set whatever the seed says: "name=value,…" (e.g. "dialog=type1")."""
    break_page: str = ""
    """A step broken on purpose (layui front end): "numbers_field" (the 补录 form has no 报关单号 field),
    "success_text" (【提交】 answers 数据已保存, a text the robot's profile does not know); "" = none."""
    latency_ms: int = 0
    jitter_ms: int = 0
    error_rate: float = 0.0
    session_lifetime: float = 0.0
    dialog_fail_rate: float = 0.0
    notice: bool = True
    receipt_delay: float = 2.0
    hang_rate: float = 0.0
    hang_kinds: str = "page,xhr,login"
    expire_after_submits: int = 0
    """Every N-th 补录 stored expires all logged-in sessions (0 = off): an expiry at a known moment."""

    def chaos(self) -> dict[str, Any]:
        """The current chaos knobs as a JSON-ready dict."""
        return {name: getattr(self, name) for name in CHAOS_FIELDS}

    def update_chaos(self, values: dict[str, Any]) -> dict[str, Any]:
        """Applies the known chaos keys of `values` (coerced to the field types); unknown keys raise."""
        unknown = set(values) - set(CHAOS_FIELDS)
        if unknown:
            raise ValueError(f"unknown chaos keys: {sorted(unknown)}")
        before = self.chaos()
        try:
            for name, value in values.items():
                setattr(self, name, _coerce(name, value))
            self._check()
        except ValueError:  # a refused change changes nothing
            for name, value in before.items():
                setattr(self, name, value)
            raise
        return self.chaos()

    def _check(self) -> None:
        if self.frontend not in FRONTENDS:
            raise ValueError(f"frontend must be one of {', '.join(FRONTENDS)}")
        Variant.from_seed(self.variant, self.variant_force)  # ValueError when a dimension is unknown
        seed.enterprises(self.enterprises)  # ValueError when out of range
        if self.break_page not in BREAKS:
            raise ValueError(f"break_page must be one of {', '.join(b for b in BREAKS if b)}")
        for name in ("error_rate", "dialog_fail_rate", "hang_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1")
        for name in ("latency_ms", "jitter_ms", "session_lifetime", "receipt_delay", "expire_after_submits"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_renames(items: list[str] | str | None) -> dict[str, str]:
    """`["OLD=NEW", "A=B,C=D"]` (or one comma-separated string) as {old: new}; malformed items raise."""
    if not items:
        return {}
    parts = [items] if isinstance(items, str) else items
    renames: dict[str, str] = {}
    for part in parts:
        for item in part.split(","):
            if not item.strip():
                continue
            old, sep, new = item.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise ValueError(f"--rename-menu expects OLD=NEW, got {item!r}")
            renames[old.strip()] = new.strip()
    return renames


def _types() -> dict[str, str]:
    return {f.name: str(f.type) for f in fields(Settings)}


def _coerce(name: str, value: Any) -> Any:
    kind = _types()[name]
    if kind == "bool":
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "yes", "on"}
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value


_ENV: dict[str, str] = {
    "host": "MOCK_HOST",
    "port": "MOCK_PORT",
    "db": "MOCK_DB",
    "seed": "MOCK_SEED",
    "certs": "MOCK_CERTS",
    "enterprises": "MOCK_ENTERPRISES",
    "test_api": "MOCK_TEST_API",
    "frontend": "MOCK_FRONTEND",
    "rename_menu": "MOCK_RENAME_MENU",
    "variant": "MOCK_VARIANT",
    "variant_force": "MOCK_VARIANT_FORCE",
    "break_page": "MOCK_BREAK_PAGE",
    "latency_ms": "MOCK_LATENCY_MS",
    "jitter_ms": "MOCK_JITTER_MS",
    "error_rate": "MOCK_ERROR_RATE",
    "session_lifetime": "MOCK_SESSION_LIFETIME",
    "dialog_fail_rate": "MOCK_DIALOG_FAIL_RATE",
    "notice": "MOCK_NOTICE",
    "receipt_delay": "MOCK_RECEIPT_DELAY",
    "hang_rate": "MOCK_HANG_RATE",
    "hang_kinds": "MOCK_HANG_KINDS",
    "expire_after_submits": "MOCK_EXPIRE_AFTER_SUBMITS",
}


def from_env(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the MOCK_* environment variables (defaults where unset)."""
    env = os.environ if environ is None else environ
    settings = Settings()
    for name, var in _ENV.items():
        raw = env.get(var)
        if raw not in (None, ""):
            setattr(settings, name, parse_renames(raw) if name == "rename_menu" else _coerce(name, raw))
    settings._check()
    return settings


def parse_args(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Settings from command-line flags, falling back to MOCK_* variables, then defaults."""
    base = from_env(environ)
    parser = argparse.ArgumentParser(prog="python -m mock_portal", description=__doc__)
    parser.add_argument("--host", default=base.host)
    parser.add_argument("--port", type=int, default=base.port, help="0 picks a free port")
    parser.add_argument("--db", default=base.db, help="SQLite file (default: a temp file)")
    parser.add_argument("--seed", type=int, default=base.seed)
    parser.add_argument("--certs", type=int, default=base.certs, help="certificates in total")
    parser.add_argument(
        "--enterprises",
        type=int,
        default=base.enterprises,
        help=f"enterprises with data: 2 (default) to {seed.MAX_ENTERPRISES}; the extras are exporter3…",
    )
    parser.add_argument("--test-api", action="store_true", default=base.test_api)
    parser.add_argument(
        "--frontend",
        choices=FRONTENDS,
        default=base.frontend,
        help="layui: the real libraries (default); accessible: the first, ARIA-labelled one",
    )
    parser.add_argument(
        "--rename-menu",
        action="append",
        default=None,
        metavar="OLD=NEW",
        help="show a left-menu entry under another name (repeatable or comma-separated)",
    )
    parser.add_argument(
        "--variant",
        type=int,
        default=base.variant,
        metavar="SEED",
        help="layui front end: pick every open detail of the pages from this seed (0 = default)",
    )
    parser.add_argument(
        "--variant-force",
        default=base.variant_force,
        metavar="NAME=VALUE,…",
        help="set variant dimensions whatever the seed says (e.g. dialog=type1,outcome=alert)",
    )
    parser.add_argument(
        "--break-page",
        default=base.break_page,
        choices=BREAKS,
        help="layui: break a step on purpose (numbers_field: no 报关单号 field; success_text: 数据已保存)",
    )
    parser.add_argument("--latency-ms", type=int, default=base.latency_ms)
    parser.add_argument("--jitter-ms", type=int, default=base.jitter_ms)
    parser.add_argument("--error-rate", type=float, default=base.error_rate, help="share answered 500/502")
    parser.add_argument("--session-lifetime", type=float, default=base.session_lifetime, help="seconds, 0=off")
    parser.add_argument("--dialog-fail-rate", type=float, default=base.dialog_fail_rate)
    parser.add_argument("--notice", action=argparse.BooleanOptionalAction, default=base.notice)
    parser.add_argument("--receipt-delay", type=float, default=base.receipt_delay, help="seconds")
    parser.add_argument("--hang-rate", type=float, default=base.hang_rate, help="share of requests never answered")
    parser.add_argument("--hang-kinds", default=base.hang_kinds, help="which of page,xhr,login --hang-rate hits")
    parser.add_argument(
        "--expire-after-submits",
        type=int,
        default=base.expire_after_submits,
        help="every N-th 补录 expires all logged-in sessions (0=off)",
    )
    args = parser.parse_args(argv)
    try:
        args.rename_menu = parse_renames(args.rename_menu) if args.rename_menu else base.rename_menu
    except ValueError as error:
        parser.error(str(error))
    settings = Settings(**{f.name: getattr(args, f.name) for f in fields(Settings)})
    try:
        settings._check()
    except ValueError as error:
        parser.error(str(error))
    return settings
