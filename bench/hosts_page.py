"""The section "Several hosts on one PostgreSQL queue" of the benchmark page, from the host benchmark's own
results (bench/results/hosts.json, written by `python -m bench.hosts`). Pure reporting."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from bench.summary import num

HOSTS_RESULTS = Path(__file__).parent / "results" / "hosts.json"
TITLE = "Several hosts on one PostgreSQL queue"


def load(path: Path = HOSTS_RESULTS) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _base_rate(runs: list[dict[str, Any]]) -> float | None:
    return next((r["rows_per_min"] for r in runs if r["hosts"] == 1 and r.get("rows_per_min")), None)


def _per_host(run: dict[str, Any]) -> str:
    counts = run.get("rows_by_host") or {}
    return ", ".join(f"{h}: {n}" for h, n in sorted(counts.items())) or "–"


def _rate(run: dict[str, Any]) -> str:
    if run.get("timed_out"):
        return f"timed out ({run['final']}/{run['rows']} final)"
    return num(run.get("rows_per_min"))


def _loads(run: dict[str, Any]) -> str:
    loads = run.get("loadavg") or []
    return f"{statistics.median(loads):.1f} / {max(loads):.1f}" if loads else "–"


def table(runs: list[dict[str, Any]]) -> list[str]:
    """The main table: hosts, rows, rows/min, × the 1-host rate, wall s, rows per host, duplicates / lost."""
    base = _base_rate(runs)
    out = [
        "| hosts | rows | rows/min | × the 1-host rate | wall s | rows per host | duplicates / lost |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        rate = run.get("rows_per_min")
        times = f"{rate / base:.2f}" if rate and base else "–"
        out.append(
            f"| {run['hosts']} | {run['rows']} | {_rate(run)} | {times} | {num(run.get('wall_s'), 0)} "
            f"| {_per_host(run)} | {run['duplicates']} / {run['lost']} |"
        )
    return out


def timings(runs: list[dict[str, Any]]) -> list[str]:
    out = [
        "| hosts | first row claimed after (s) | rows/min, first to last row final | claims | report's exit code "
        "| machine CPU busy | load average median / max | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        busy = run.get("machine_busy")
        out.append(
            f"| {run['hosts']} | {num(run.get('first_claim_s'))} | {num(run.get('final_span_rows_per_min'))} "
            f"| {run.get('claims', '–')} | {run.get('report_exit_code', '–')} "
            f"| {'–' if busy is None else f'{busy * 100:.0f} %'} | {_loads(run)} | {run.get('error') or '–'} |"
        )
    return out


def findings(data: dict[str, Any], run_rate: float | None = None) -> list[str]:
    """Plain-language reading, derived from the numbers; `run_rate` = rows/min of `corobot run` (1 worker,
    300 ms) in the page's other results."""
    runs = data["runs"]
    base = _base_rate(runs)
    cores = data.get("machine", {}).get("cores") or 1
    out: list[str] = []
    if base and run_rate:
        out.append(
            f"- One host entered {base:.1f} rows per minute; the Speed table above has `corobot run` (1 worker, "
            f"same latency) at {run_rate:.1f}: another run, at another time and load, so the ratios are taken "
            "within this table only."
        )
    for run in runs:
        rate = run.get("rows_per_min")
        if run["hosts"] > 1 and rate and base:
            out.append(
                f"- {run['hosts']} hosts entered {rate:.1f} rows per minute, {rate / base:.2f} × one host "
                f"({run['hosts']:.0f} × would be perfect sharing)."
            )
    bad = [r for r in runs if r["duplicates"] or r["lost"]]
    out.append(
        "- Every certificate reached the mock portal exactly once in every measurement."
        if not bad
        else "- **Not exactly once:** "
        + "; ".join(f"{r['hosts']} hosts: {r['duplicates']} duplicates, {r['lost']} lost" for r in bad)
        + "."
    )
    most = max((r["hosts"] for r in runs), default=0)
    if most > cores:
        out.append(
            f"- This machine has {cores} cores: {most} hosts are {most} robot processes and {most} Chromiums "
            "(plus the mock portal and PostgreSQL) on them. On separate PCs, as in production, each host has "
            "its own CPU; here the hosts queue for the same cores, so the figures are a lower bound on sharing."
        )
    return out


def hosts_section(data: dict[str, Any] | None, run_rate: float | None = None) -> list[str]:
    """The section, or a line saying how to measure it; `run_rate` as for `findings`."""
    out = ["", f"## {TITLE}", ""]
    if not data:
        return [*out, "Not measured yet: `python -m bench.hosts` (it writes bench/results/hosts.json)."]
    if data.get("skipped"):
        return [*out, f"Not measured: {data['skipped']}."]
    s = data["settings"]
    m = data.get("machine", {})
    counts = ", ".join(map(str, s["counts"]))
    out += [
        f"`{s['command']}` (issue 21; raw numbers in `bench/results/hosts.json`), run {data['started']}, "
        f"{data.get('elapsed_s', 0) / 60:.0f} min, code measured: commit `{m.get('commit', '?')}`. "
        f"One PostgreSQL {data.get('postgres', '')} on this machine, one mock portal at {s['latency']} "
        f"(`--enterprises {s['enterprises']} --certs {s['certs']}`); for {counts} hosts in turn a fresh "
        f"database, that many `corobot watch` processes and one workbook of {s['rows']} rows dropped into "
        "pc-1's inbox.",
        "",
        "**One account each.** Every host works exactly one account, pinned to it (`[accounts.exporterK] "
        'hosts = ["pc-K"]`), as README 多台机器 describes: each PC with its own enterprise. The workbook\'s '
        "账号 column deals its rows round the accounts (row i → account i mod N). The mock portal has two "
        "enterprises by default; its opt-in `--enterprises N` adds exporter3 …, with data from random streams "
        "of their own (exporter1 and exporter2 are as everywhere else), so N hosts are N different logins. "
        "1 worker per host; the robot's defaults otherwise, except "
        + ", ".join(f"`{k}={v}`" for k, v in s.get("host_settings", {}).items())
        + " (captcha from the mock's test API; customs receipts left out, as in the runs above; the inbox "
        "settles in 1 s).",
        "",
        "*rows/min* = rows entered (成功 or 已提交，待回执) / (report written − first row claimed): the hosts' "
        "browser launch and login are inside, and weigh more the more hosts share the rows (each of N hosts "
        "works 1/N of them; the second table's rate from the first to the last row final leaves start-up "
        "out). *× the 1-host rate* = rows/min ÷ the 1-host rows/min. *wall s* = "
        "hosts started → report written (Python start-up, intake of the workbook included). *rows per host* = "
        "final rows each host recorded in the queue. *duplicates / lost* = certificates of the workbook the "
        "mock portal received more than once / never (its test API).",
        "",
        *table(data["runs"]),
        "",
        *findings(data, run_rate),
    ]
    if s.get("note"):
        out += ["", f"Note: {s['note']}"]
    out += [
        "",
        f"Measured while other work ran on this machine ({m.get('cores', '?')} cores): load average and the "
        "share of all CPUs busy (every program) during each measurement; *claims* = claims of rows, all rows "
        "together (equal to the rows when no row went back to the queue or was taken over).",
        "",
        *timings(data["runs"]),
    ]
    return out
