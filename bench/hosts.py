"""`python -m bench.hosts`: rows per minute of 1, 2 and 3 robot hosts on one PostgreSQL queue (issue 21).

One PostgreSQL on this machine (bench/postgres.py), one mock portal at 300 ms ± 50 with `--enterprises N`
(exporter1 … exporterN), and for each host count N: a fresh database, N `corobot watch` processes with
one account each, pinned to its host (bench/host_group.py), and one workbook of `--rows` rows dealt round
the N accounts (账号 column) dropped into pc-1's inbox. Measured: rows per minute from the first row
claimed to the report written, and wall time from starting the hosts (Python, browser, login, intake
included) to the report; every certificate's submissions counted through the mock's test API
(duplicates, lost); rows per host from the queue. Each measurement stops by itself (`--deadline-min`);
everything runs on 127.0.0.1.

Writes bench/results/hosts.json and renders docs/BENCHMARKS.md again from it and
bench/results/latest.json (section "Several hosts on one PostgreSQL queue", bench/hosts_page.py).
`python -m bench` runs it too, after its other measurements (`--host-counts 0` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.host_group import CertPool, HostGroup, deal_rows, save_book
from bench.host_queue import Progress, migrated_engine, outcome, progress
from bench.postgres import PgServer, bin_dir
from bench.runs import DONE_RESULTS, RECEIPT_DELAY_S, SLOW
from bench.sampler import system_busy_s
from mock_portal.harness import Portal, start_portal, stop_portal

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "hosts.json"
HOST_SETTINGS = {
    "CO_CAPTCHA_SOLVER": "test-api",
    "CO_RECEIPT_DEADLINE_S": "0",
    "CO_INBOX_SETTLE_S": "1",
}
"""The hosts' settings besides the robot's defaults: the captcha from the mock's test API, the wait for
customs receipts left out (as in the other robot runs of the benchmark), a short settle time of the inbox."""
POLL_S = 0.25
LOAD_EVERY_S = 5.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.hosts", description=__doc__.split("\n")[0])
    parser.add_argument("--counts", default="1,2,3", help="host counts, one measurement each (default 1,2,3)")
    parser.add_argument("--rows", type=int, default=60, help="rows of the workbook of each measurement (default 60)")
    parser.add_argument(
        "--deadline-min", type=float, default=30, help="a measurement not done after this many minutes is stopped"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="raw results JSON (default bench/results/…)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder of the page (default docs/)")
    parser.add_argument("--no-render", action="store_true", help="do not render the page afterwards")
    parser.add_argument("--note", default="", help="shown on the page with the results")
    return parser.parse_args(argv)


def parse_counts(text: str) -> list[int]:
    """ "1,2,3" → [1, 2, 3]; "0" or "" → [] (skip)."""
    return [n for n in (int(c) for c in text.split(",") if c.strip()) if n > 0]


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    counts = parse_counts(args.counts)
    if not counts:
        print("no host counts: nothing measured")
        return 0
    command = "python -m bench.hosts " + " ".join(sys.argv[1:] if argv is None else argv)
    measure(counts, args.rows, args.deadline_min, args.results, command.strip(), args.note)
    if not args.no_render:
        render(args.results, args.out)
    return 0


def render(hosts_file: Path, out: Path) -> None:
    """The benchmark page again, from bench/results/latest.json beside `hosts_file` and `hosts_file`."""
    from bench import page

    latest = hosts_file.parent / "latest.json"
    if not latest.exists():
        print(f"{latest} is missing: the page is not rendered (python -m bench renders it)")
        return
    print(page.render(json.loads(latest.read_text(encoding="utf-8")), out, hosts_file))


def certs_needed(counts: list[int], rows: int) -> int:
    """`--certs` of the mock: exporter1 works its share of every measurement with fresh certificates;
    about 85 % of an enterprise's certificates are approved, and `--certs` splits over two enterprises."""
    share = sum(-(-rows // n) for n in counts)
    return max(300, int(share * 2 / 0.8) + 100)


def measure(
    counts: list[int], rows: int, deadline_min: float, path: Path, command: str, note: str = ""
) -> dict[str, Any]:
    """Every count in turn on one PostgreSQL and one mock portal; the results, saved to `path` as they come."""
    from bench import environment

    certs = certs_needed(counts, rows)
    enterprises = max(2, *counts)
    results: dict[str, Any] = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "settings": {
            "counts": counts,
            "rows": rows,
            "latency": SLOW.name,
            "deadline_min": deadline_min,
            "certs": certs,
            "enterprises": enterprises,
            "host_settings": HOST_SETTINGS,
            "command": command,
            "note": note,
        },
        "machine": environment.describe(),
        "runs": [],
        "skipped": "",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()

    def save() -> None:
        results["elapsed_s"] = time.monotonic() - began
        path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    bindir = bin_dir()
    if bindir is None:
        results["skipped"] = "PostgreSQL is not installed (scripts/setup.sh installs it when run as root)"
        save()
        print(f"hosts: skipped: {results['skipped']}", flush=True)
        return results
    server = PgServer(bindir)
    portal: Portal | None = None
    try:
        server.start()
        results["postgres"] = bindir.parent.name
        portal = start_portal(
            "--test-api",
            "--enterprises",
            str(enterprises),
            "--certs",
            str(certs),
            "--receipt-delay",
            str(RECEIPT_DELAY_S),
            *SLOW.flags,
            timeout=120,
        )
        pool = CertPool(portal)
        for n in counts:
            record = one_count(server, portal, pool, n, rows, deadline_min * 60)
            results["runs"].append(record)
            save()
            print(_line(record), flush=True)
    finally:
        if portal is not None:
            stop_portal(portal)
        server.remove()
    save()
    return results


def _line(record: dict[str, Any]) -> str:
    rate = record.get("rows_per_min")
    per_host = ", ".join(f"{h} {n}" for h, n in sorted(record["rows_by_host"].items()))
    return (
        f"hosts {record['hosts']}: {record['final']}/{record['rows']} rows final, "
        f"{'–' if rate is None else f'{rate:.1f}'} rows/min, wall {record['wall_s'] or 0:.0f} s, "
        f"per host {per_host or '–'}, duplicates {record['duplicates']}, lost {record['lost']}"
        + (f", {record['error']}" if record["error"] else "")
    )


def one_count(server: PgServer, portal: Portal, pool: CertPool, n: int, rows: int, deadline_s: float) -> dict[str, Any]:
    """N hosts, one account each, work one workbook of `rows` rows on a fresh database."""
    accounts = [f"exporter{k}" for k in range(1, n + 1)]
    dealt = deal_rows(pool, accounts, rows)
    url = server.create_database()
    engine = migrated_engine(url)
    try:
        with tempfile.TemporaryDirectory(prefix=f"corobot-hosts{n}-") as tmp:
            group = HostGroup(portal.url, url, Path(tmp), accounts, HOST_SETTINGS)
            save_book(group.inbox(group.names[0]) / f"{n}台主机.xlsx", dealt)
            busy, spawned = system_busy_s(), time.time()
            try:
                group.start()
                seen = watch(lambda: progress(engine), group.ended, time.monotonic() + deadline_s)
            finally:
                codes = group.stop()
            busy, elapsed = system_busy_s() - busy, time.time() - spawned
            tails = {name: group.log_tail(name) for name in group.names} if seen["error"] else {}
        done = outcome(engine)
    finally:
        engine.dispose()
        server.drop_database(url)
    sent: Counter[str] = Counter()
    for user in accounts:
        sent.update(s["certNo"] for s in portal.submissions(enterprise=user))
    certs = [r.cert_no for _, r in dealt]
    entered = sum(n for result, n in done.results.items() if result in DONE_RESULTS)
    end = seen["report_at"]
    first = seen["first_claim"]
    work_s = end - first if end and first else None
    wall_s = end - spawned if end else None
    span = (done.last_final or 0) - (done.first_final or 0)
    final = sum(done.rows_by_host.values())
    return {
        "hosts": n,
        "rows": rows,
        "accounts": accounts,
        "final": final,
        "entered": entered,
        "rows_by_host": done.rows_by_host,
        "results": done.results,
        "duplicates": sum(sent[c] - 1 for c in certs if sent[c] > 1),
        "lost": sum(1 for c in certs if sent[c] == 0),
        "rows_per_min": entered / work_s * 60 if work_s and entered else None,
        "final_span_rows_per_min": (final - 1) / span * 60 if final > 1 and span > 0 else None,
        "wall_s": wall_s,
        "work_s": work_s,
        "first_claim_s": first - spawned if first else None,
        "queued_s": done.queued_at - spawned if done.queued_at else None,
        "finished_by": done.finished_by,
        "report_exit_code": done.exit_code,
        "claims": done.attempts,
        "exit_codes": codes,
        "timed_out": seen["timed_out"],
        "error": seen["error"],
        "log_tails": tails,
        "loadavg": seen["loads"],
        "machine_busy": busy / (elapsed * (os.cpu_count() or 1)),
    }


def watch(look: Callable[[], Progress], ended: Callable[[], dict[str, int]], deadline: float) -> dict[str, Any]:
    """Polls the queue until the report is written, a host ends, or the deadline passes: the moment the
    first row was claimed, the moment the report was written (its file's time), load averages."""
    seen: dict[str, Any] = {"first_claim": None, "report_at": None, "timed_out": False, "error": "", "loads": []}
    next_load = 0.0
    while True:
        now = time.time()
        if now >= next_load:
            seen["loads"].append(os.getloadavg()[0])
            next_load = now + LOAD_EVERY_S
        try:
            state: Progress | None = look()
        except sa.exc.OperationalError:
            state = None
        if state is not None:
            if seen["first_claim"] is None and state.taken:
                seen["first_claim"] = now
            if state.report:
                report = Path(state.report)
                seen["report_at"] = report.stat().st_mtime if report.exists() else now
                return seen
        gone = ended()
        if gone:
            seen["error"] = "host(s) ended on their own: " + ", ".join(f"{h} exit {c}" for h, c in gone.items())
            return seen
        if time.monotonic() > deadline:
            seen["timed_out"] = True
            seen["error"] = f"timed out ({state.final if state else '?'} rows final)"
            return seen
        time.sleep(POLL_S)


if __name__ == "__main__":
    sys.exit(main())
