"""One robot run for the benchmark, in its own process: `python -m bench.robot_once --url … --result R.json`.

Runs `robot.engine.job.run_job` exactly as `corobot run` does (fresh journal in --state, captcha from the
mock's test API, `receipt_deadline_s = 0` so the wait for customs receipts is left out of the
measure), then writes a JSON with its wall-clock stamps, counts, exit code, peak RSS of this process
(`resource.getrusage`) and a phase profile.

Two sources of phases: the robot's own log, whose debug record per named step of the portal flow
(flows/portal.py `PortalWorker._step`: `step`, `seconds`) a sink of this process adds up by step
(`steps_s`, `step_calls`); and timers wrapped around a few robot/flows methods (no behaviour change,
cost ~µs per call) for what is not a named step: the fill of the dialog, the per-row trace chunk, the
journal (`phase_s`, `phase_calls`). The robot's code is not modified; the wrappers live only in this
process. `--setting KEY=VALUE` sets any other field of the robot's Settings (e.g. `search_mode=row`).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from robot.commands.wiring import portal_workers
from robot.core.config import Settings
from robot.core.secrets import Secret
from robot.engine.job import RunRequest, run_job

USER = "exporter1"
PASSWORD = "Corobot#2026"

# (module, class, method): the phases timed. Missing ones (code moved) are skipped and reported.
PHASES: tuple[tuple[str, str, str], ...] = (
    ("flows.portal", "PortalWorker", "connect"),
    ("flows.portal", "PortalWorker", "ensure_connected"),
    ("flows.portal", "PortalWorker", "find_certificate"),
    ("flows.portal", "PortalWorker", "find_supplements"),
    ("flows.portal", "PortalWorker", "all_supplements"),
    ("flows.portal", "PortalWorker", "prepare"),
    ("flows.portal", "PortalWorker", "send"),
    ("flows.pages.app_shell", "AppShell", "open_page"),
    ("flows.pages.search_page", "SearchPage", "search"),
    ("flows.pages.supplement_dialog", "SupplementDialog", "open_from"),
    ("flows.pages.supplement_dialog", "SupplementDialog", "fill"),
    ("flows.pages.supplement_dialog", "SupplementDialog", "submit"),
    ("robot.session.browser", "RowEvidence", "start"),
    ("robot.session.browser", "RowEvidence", "discard"),
    ("robot.engine.runner", "Runner", "_work"),
    ("robot.engine.receipts", "ReceiptWatch", "wait"),
    ("robot.engine.journal", "Journal", "get"),
    ("robot.engine.journal", "Journal", "record_intent"),
    ("robot.engine.journal", "Journal", "record_submitted"),
)

phase_s: dict[str, float] = defaultdict(float)
phase_calls: Counter[str] = Counter()
steps_s: dict[str, float] = defaultdict(float)
step_calls: Counter[str] = Counter()
missing: list[str] = []


def _count_step(message: Any) -> None:
    """Loguru sink: adds up the robot's step records (flows/portal.py `_step`)."""
    extra = message.record["extra"]
    if "step" in extra and "seconds" in extra:
        steps_s[str(extra["step"])] += float(extra["seconds"])
        step_calls[str(extra["step"])] += 1


def install_step_sink() -> None:
    """The sink stays across the run's setup_logging (which replaces the other sinks)."""
    from robot.core.logs import add_lasting_sink

    add_lasting_sink(_count_step, level="DEBUG")


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    if _is_async(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                phase_s[name] += time.perf_counter() - started
                phase_calls[name] += 1

        return async_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            phase_s[name] += time.perf_counter() - started
            phase_calls[name] += 1

    return wrapper


def _is_async(fn: Callable[..., Any]) -> bool:
    import inspect

    return inspect.iscoroutinefunction(fn)


def install_profile() -> None:
    for module_name, class_name, method in PHASES:
        cls = getattr(importlib.import_module(module_name), class_name, None)
        fn = getattr(cls, method, None) if cls is not None else None
        if fn is None:
            missing.append(f"{class_name}.{method}")
            continue
        setattr(cls, method, _timed(f"{class_name}.{method}", fn))


def disable_tracing() -> None:
    """What-if only: contexts without tracing, per-row chunks as no-ops (no evidence for failed rows)."""
    from robot.session.browser import BrowserSession, RowEvidence

    original = BrowserSession.new_context

    async def new_context(self: BrowserSession, storage_state: dict | None = None) -> Any:
        context = await original(self, storage_state=storage_state)
        await context.tracing.stop()
        return context

    async def nothing(self: RowEvidence, *args: Any) -> Any:
        return []

    BrowserSession.new_context = new_context  # type: ignore[method-assign]
    RowEvidence.start = nothing  # type: ignore[method-assign]
    RowEvidence.discard = nothing  # type: ignore[method-assign]
    RowEvidence.keep_trace = nothing  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--workbook", type=Path, required=True)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="another field of the robot's Settings (e.g. search_mode=row); repeatable",
    )
    parser.add_argument(
        "--submit-interval",
        type=float,
        default=None,
        help="min_submit_interval_s (the robot's politeness pause between submissions); "
        "default: the robot's own default",
    )
    parser.add_argument(
        "--no-trace",
        action="store_true",
        help="what-if profile only: no Playwright tracing (the robot's per-row evidence)",
    )
    args = parser.parse_args(argv)

    install_profile()
    install_step_sink()
    if args.no_trace:
        disable_tracing()
    settings = replace(
        Settings(),
        portal_url=args.url,
        username=USER,
        password=Secret(PASSWORD),
        state_dir=args.state,
        out_dir=args.out,
        captcha_solver="test-api",
        workers=args.workers,
        receipt_deadline_s=0.0,
    )
    if args.submit_interval is not None:
        settings = replace(settings, min_submit_interval_s=args.submit_interval)
    settings = replace(settings, **overrides(settings, args.setting))
    started = time.time()
    result = run_job(settings, RunRequest(args.workbook), workers=portal_workers)
    finished = time.time()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    args.result.write_text(
        json.dumps(
            {
                "started": started,
                "finished": finished,
                "exit_code": int(result.exit_code),
                "counts": result.counts,
                "peak_rss_mib": peak_kib / 1024,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "phase_s": dict(phase_s),
                "phase_calls": dict(phase_calls),
                "steps_s": dict(steps_s),
                "step_calls": dict(step_calls),
                "missing_phases": missing,
                "min_submit_interval_s": settings.min_submit_interval_s,
                "search_mode": getattr(settings, "search_mode", None),
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return 0


def overrides(settings: Settings, pairs: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` pairs as Settings fields, each VALUE converted to the field's current type."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if not hasattr(settings, key):
            raise SystemExit(f"--setting {pair}: the robot has no setting {key!r}")
        current = getattr(settings, key)
        if isinstance(current, bool):
            changes[key] = value.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(current, (int, float)):
            changes[key] = type(current)(value)
        else:
            changes[key] = value
    return changes


if __name__ == "__main__":
    sys.exit(main())
