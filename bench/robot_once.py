"""One robot run for the benchmark, in its own process: `python -m bench.robot_once --url … --result R.json`.

Runs `robot.engine.job.run_job` exactly as `corobot run` does (fresh journal in --state, captcha from the
mock's test API, `receipt_deadline_s = 0` so the wait for customs receipts is left out of the
measure), then writes a JSON with its wall-clock stamps, counts, exit code, peak RSS of this process
(`resource.getrusage`) and a phase profile.

The phase profile wraps a few robot/flows methods with a timer (no behaviour change, cost ~µs per
call): how long each row spends in search, dialog, submit, the per-row trace chunk, the journal.
With `--count-requests` it also counts the browser's requests by kind (path without query).
The robot's code is not modified; the wrappers live only in this process.
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
from urllib.parse import urlsplit

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
requests: Counter[str] = Counter()
missing: list[str] = []


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


def install_profile(count_requests: bool) -> None:
    for module_name, class_name, method in PHASES:
        cls = getattr(importlib.import_module(module_name), class_name, None)
        fn = getattr(cls, method, None) if cls is not None else None
        if fn is None:
            missing.append(f"{class_name}.{method}")
            continue
        setattr(cls, method, _timed(f"{class_name}.{method}", fn))
    if count_requests:
        from robot.session.browser import BrowserSession

        original = BrowserSession.new_context

        async def new_context(self: BrowserSession, storage_state: dict | None = None) -> Any:
            context = await original(self, storage_state=storage_state)
            context.on("request", lambda r: requests.update([f"{r.method} {_kind(r.url)}"]))
            return context

        BrowserSession.new_context = new_context  # type: ignore[method-assign]


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


def _kind(url: str) -> str:
    path = urlsplit(url).path
    if path.startswith("/static/"):
        return "/static/*"
    if path.startswith("/origin/supplement/records/"):
        return "/origin/supplement/records/{id}"
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--workbook", type=Path, required=True)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--count-requests", action="store_true")
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

    install_profile(args.count_requests)
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
                "requests": dict(requests),
                "missing_phases": missing,
                "min_submit_interval_s": settings.min_submit_interval_s,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
