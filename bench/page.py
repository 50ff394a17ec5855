"""Renders the benchmark page (BENCHMARKS.md) and its charts (img/bench-*.png) from the raw results.

Pure reporting: medians over runs, ratios against both floors, the targets of issue 20 met or not
(with the numbers), the round trips per row of every client (counted by the mock portal) and the
robot's phases per row (from its own log). Targets are recorded here, never asserted anywhere.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import charts
from bench.hosts_page import HOSTS_RESULTS, hosts_section, load
from bench.page_sections import (
    TARGET_GROWTH,
    TARGET_READ_S,
    TARGET_REPORT_S,
    data_cpu,
    data_section,
    frontend_section,
    growth_of,
    harvest_section,
    memory_section,
    soak_section,
)
from bench.summary import SLOW, ZERO, Summary, mark, median, ms, num

TARGET_PER_ROW = 1.3
TARGET_LISTWISE = 1.0
TARGET_SCALING = 1.7
CPU_BEFORE = 1.05
"""Browser CPU-seconds per row at 0 ms on the layui front end before issue 20 (bench/results/frontend.json)."""
TARGET_CPU = CPU_BEFORE / 2
BUSY_SHARE = 0.10
"""From this share of the CPU taken by others (other programs, or the host's steal) a run is not quiet."""
ISSUE_ROWS = 200
ISSUE_RUNS = 3
KIND_NAMES = {
    "floor_bare": "floor without the dialog's page (`floor_bare`)",
    "floor": "floor (`floor`)",
    "browser_min": "the least a browser does (`browser_min`)",
    "robot_per_row": "robot, one search per row (`robot_per_row`)",
    "robot": "robot at its defaults (`robot`)",
}
INNER_PHASES = (
    ("Runner._work", "whole row (Runner._work)"),
    ("AppShell.open_page", "focus the tab 报关单号补录 (menu click)"),
    ("SearchPage.search", "fill criteria, 【查询】, wait for its answer"),
    ("SupplementDialog.open_from", "【补录】, wait for the dialog showing this 证明号"),
    ("SupplementDialog.fill", "是 + numbers"),
    ("SupplementDialog.submit", "【提交】, wait for the outcome"),
    ("RowEvidence.start", "per-row trace: start"),
    ("RowEvidence.discard", "per-row trace: discard"),
    ("Journal.record_intent", "journal: intent"),
    ("Journal.record_submitted", "journal: submitted"),
)
"""Timers of bench/robot_once.py around methods inside the logged steps (missing ones are left out)."""


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    ok: bool | None
    anchor: str


def render(results: dict[str, Any], out: Path, hosts_file: Path = HOSTS_RESULTS) -> str:
    """Writes out/BENCHMARKS.md and out/img/bench-*.png; returns the text `make bench` prints (the targets).
    The section on several hosts comes from `hosts_file` (`python -m bench.hosts`)."""
    summary = Summary(results)
    img = out / "img"
    img.mkdir(parents=True, exist_ok=True)
    drawn = charts.draw(summary, results, img)
    page = out / "BENCHMARKS.md"
    page.write_text(page_text(summary, results, drawn, hosts_file), encoding="utf-8")
    lines = [f"wrote {page}"] + [f"wrote {img / c}" for c in drawn]
    lines += ["", "Targets (issue 20):"]
    lines += [f"  {mark(t.ok).strip('*'):8} {t.name}: {t.measured}" for t in targets(summary, results)]
    return "\n".join(lines)


def _slow_workers(summary: Summary) -> int | None:
    more = [n for n in summary.workers if n > 1 and summary.runs("robot", SLOW, n)]
    return min(more, key=lambda n: abs(n - 2)) if more else None


def targets(summary: Summary, results: dict[str, Any]) -> list[Target]:
    """The targets of issue 20 (300 ms ± 50, 1 worker, layui front end), then memory and the data layer."""
    rows: list[Target] = []
    per_row = summary.per_row_robot()
    robot_ms, floor_ms = summary.per_row(per_row, SLOW, 1), summary.per_row("floor", SLOW, 1)
    ratio = summary.ratio(per_row, "floor", SLOW, 1)
    alone = "" if per_row == "robot_per_row" else " (the code measured has no list-wise mode: the robot's default)"
    rows.append(
        Target(
            f"robot searching row by row ≤ {TARGET_PER_ROW} × the floor, wall time per row{alone}",
            f"{num(ratio, 2)} ({ms(robot_ms)} / {ms(floor_ms)} ms per row)",
            None if ratio is None else ratio <= TARGET_PER_ROW,
            "#speed",
        )
    )
    for steady in (True, False):
        what = "steady state" if steady else "wall time with start-up"
        name = f"robot worked down the list ≤ {TARGET_LISTWISE} × the per-row floor, {what}"
        if not summary.listwise():
            rows.append(Target(name, "not measured: the code measured has no list-wise mode", None, "#speed"))
            continue
        of = summary.steady if steady else summary.per_row
        ratio = summary.ratio("robot", "floor", SLOW, 1, steady=steady)
        rows.append(
            Target(
                name,
                f"{num(ratio, 2)} ({ms(of('robot', SLOW, 1))} / {ms(of('floor', SLOW, 1))} ms per row)",
                None if ratio is None else ratio <= TARGET_LISTWISE,
                "#speed",
            )
        )
    top = _slow_workers(summary)
    scale = summary.scaling("robot", SLOW, top) if top else None
    rows.append(
        Target(
            f"{top or 2} workers ≥ {TARGET_SCALING} × the 1-worker rate ({SLOW})",
            "not measured"
            if scale is None
            else f"{scale:.2f} × ({num(summary.rate('robot', SLOW, top or 2))} / "
            f"{num(summary.rate('robot', SLOW, 1))} rows per minute)",
            None if scale is None else scale >= TARGET_SCALING,
            "#speed",
        )
    )
    cpu = summary.cpu_per_row("robot", ZERO, 1)
    rows.append(
        Target(
            f"browser CPU-seconds per row at {ZERO} ≤ {TARGET_CPU:.3f} (half of {CPU_BEFORE})",
            "not measured"
            if cpu is None
            else f"{cpu:.3f} CPU-s per row, start-up included ({num(summary.cpu_steady('robot', ZERO, 1), 3)} "
            "between the first and the last row)",
            None if cpu is None else cpu <= TARGET_CPU,
            "#browser-cpu-per-row",
        )
    )
    memory = results.get("memory")
    if memory:
        growth = growth_of(memory)
        rows.append(
            Target(
                f"browser memory grows ≤ 10 % from row 50 to row {memory['rows']:,}",
                "–" if growth is None else f"{growth * 100:+.1f} %",
                None if growth is None or memory["ok"] < memory["rows"] else growth <= TARGET_GROWTH,
                "#browser-memory-over-a-long-run",
            )
        )
    data = results.get("data_layer")
    if data:
        rows.append(
            Target(
                f"{data['rows']:,} rows read and validated ≤ {TARGET_READ_S:.0f} s",
                f"{data['read_median_s']:.2f} s{data_cpu(data, 'read')}",
                data["read_median_s"] <= TARGET_READ_S,
                "#data-layer",
            )
        )
        rows.append(
            Target(
                f"their report written ≤ {TARGET_REPORT_S:.0f} s",
                f"{data['report_median_s']:.2f} s{data_cpu(data, 'report')}",
                data["report_median_s"] <= TARGET_REPORT_S,
                "#data-layer",
            )
        )
    return rows


def page_text(summary: Summary, results: dict[str, Any], drawn: list[str], hosts_file: Path = HOSTS_RESULTS) -> str:
    s = results["settings"]
    m = results["machine"]
    out: list[str] = [
        "# Benchmarks: how close the robot comes to the portal's own limit",
        "",
        "Generated by `make bench` (`python -m bench`; the raw numbers are in `bench/results/latest.json`). "
        "Do not edit by hand: run it again (`python -m bench --render-only` renders the page from the raw numbers).",
        "",
        f"Run {results['started']}, {results.get('elapsed_s', 0) / 60:.0f} minutes: "
        f"`{_short(s['command'])}` — {s['rows']} rows per run, {s['runs']} run(s) per setting (medians), "
        f"workers {', '.join(map(str, s['workers']))}, mock portal with `--certs {s['certs']}` "
        f"({results.get('frontend', 'layui')} front end).",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}; "
        f"Playwright {m['playwright']}; {m['browser_version']}."
        + (f" Code measured: commit `{m['commit']}`." if m.get("commit") else ""),
        "",
        _load_note(results),
    ]
    if s.get("quick"):
        out += ["", "> **Quick mode (smoke check): too few rows and runs for the numbers to mean much.**"]
    out += ["", "## Targets", "", "| target | measured | | details |", "|---|---|---|---|"]
    for t in targets(summary, results):
        out.append(f"| {t.name} | {t.measured} | {mark(t.ok)} | [why]({t.anchor}) |")
    out += _deviations(summary, results)
    out += _findings(summary, results)
    out += _speed_table(summary)
    out += _round_trips(summary)
    out += _phases(summary)
    out += _cpu_section(summary, results)
    out += _trace_what_if(results)
    out += memory_section(summary, results)
    out += data_section(results)
    out += harvest_section()
    out += soak_section()
    out += hosts_section(load(hosts_file), summary.rate("robot", SLOW, 1))
    out += frontend_section()
    out += _method(results)
    if drawn:
        out += ["", "## Charts", ""] + [f"![{c}](img/{c})" for c in drawn]
    return "\n".join(out) + "\n"


def _short(command: str) -> str:
    """The command line without the (long) --note text, which the page shows as a deviation."""
    return command.split(" --note ")[0].strip()


def _load_note(results: dict[str, Any]) -> str:
    """How busy the machine was: the load, other programs' share of the CPU during the robot runs and
    the share the virtual machine's host kept for others (steal, recorded from issue 20's last runs on)."""
    runs = results["runs"]
    loads = [r.get("loadavg") for r in runs if r.get("loadavg") is not None]
    text = f"load average median {statistics.median(loads):.1f}, max {max(loads):.1f}" if loads else "load not recorded"
    steals = [r["steal_share"] for r in runs if r.get("steal_share") is not None]
    steal = statistics.median(steals) if steals else None
    # under steal the processes' own CPU times hold some of it: what is left for other programs is not known
    robots = [r["cpu_s"] for r in runs if r.get("cpu_s") and (r.get("steal_share") or 0) < BUSY_SHARE]
    foreign, machine = median([c.get("foreign") for c in robots]), median([c.get("machine") for c in robots])
    share = foreign / machine if foreign is not None and machine else None
    if share is not None:
        text += f"; other programs used a median {share * 100:.0f} % of the CPU time during the robot runs"
    elif steal is not None and steal >= BUSY_SHARE:
        text += "; other programs' share not measurable under steal"
    if steal is not None:
        text += (
            f"; the virtual machine's host kept a median {steal * 100:.0f} % (max {max(steals) * 100:.0f} %) "
            "of its CPU time for others (steal)"
        )
    if steal is not None and steal >= BUSY_SHARE:
        return (
            f"**Measured while the host took CPU time from this virtual machine** ({text}): absolute times are "
            "pessimistic, and more so the more CPU a client needs; floors and robots ran one after the other, "
            "so ratios suffer less."
        )
    if steal is None or (share or 0) >= BUSY_SHARE:
        return (
            f"**Measured while other work ran on this machine** ({text}): absolute times are "
            "pessimistic; floors and robots ran one after the other, so ratios suffer less."
        )
    return f"Measured on a quiet machine ({text})."


def _deviations(summary: Summary, results: dict[str, Any]) -> list[str]:
    """Where this run differs from the issue's protocol (200 rows, ≥ 3 runs, 1 and 2 workers)."""
    s = results["settings"]
    notes: list[str] = []
    if s["rows"] != ISSUE_ROWS:
        notes.append(f"{s['rows']} rows per run instead of {ISSUE_ROWS}")
    if s.get("note"):
        notes.append(s["note"])
    counts = {len(v) for k, v in summary.groups.items() if k[0] in ("floor", "robot")}
    if counts and min(counts) < ISSUE_RUNS:
        notes.append(
            f"fewer than {ISSUE_RUNS} runs per setting (runs per setting: {', '.join(map(str, sorted(counts)))}): "
            "single runs on a shared machine"
        )
    if not results.get("memory"):
        notes.append("no long memory-growth run (`--memory-rows 0`)")
    if results.get("skipped"):
        notes.append("skipped at the deadline (`--deadline-min`): " + ", ".join(results["skipped"]))
    if not notes:
        return []
    return ["", "**Deviations from the full protocol in this run:**", ""] + [f"- {n}" for n in notes]


def _interval(summary: Summary) -> float | None:
    return median([r.get("min_submit_interval_s") for r in summary.runs("robot", SLOW, 1)])


def _findings(summary: Summary, results: dict[str, Any]) -> list[str]:
    """Plain-language reading of the numbers (derived from them, so it stays true when re-run)."""
    out = ["", "### What the numbers say", ""]
    for latency in summary.latencies:
        floor, bare = summary.per_row("floor", latency, 1), summary.per_row("floor_bare", latency, 1)
        if floor and bare:
            out.append(
                f"- At {latency} the floor needs {ms(floor)} ms per row with the dialog's page, {ms(bare)} ms "
                f"without it: the page a person's browser loads for every 【补录】 costs {ms(floor - bare)} ms."
            )
        for kind in ("browser_min", "robot_per_row", "robot"):
            robot = summary.per_row(kind, latency, 1)
            if robot and floor:
                out.append(
                    f"- At {latency}, 1 worker, {KIND_NAMES[kind]}: {ms(robot)} ms per row, "
                    f"{robot / floor:.2f} × the floor ({(robot - floor) * 1000:+,.0f} ms per row)."
                )
        least, robot = summary.steady("browser_min", latency, 1), summary.steady("robot", latency, 1)
        if least and robot:
            out.append(
                f"- At {latency}, steady state: a browser doing nothing but the clicks of a row (`browser_min`) "
                f"needs {ms(least)} ms per row on this page, the robot at its defaults {ms(robot)}: the robot's "
                f"own care (reading every outcome, checking the list, the trace, the journal) costs "
                f"{(robot - least) * 1000:+,.0f} ms per row; the rest is the page's."
            )
    interval = _interval(summary)
    floor = summary.per_row("floor", SLOW, 1)
    if interval:
        top = max(summary.workers)
        out.append(
            f"- The robot ran at its default politeness, `min_submit_interval_s = {interval:g}` "
            "(robot/core/config.py): two 【提交】 of all workers together start at least that far apart, so the "
            f"robot cannot enter more than {60 / interval:.0f} rows per minute ({interval * 1000:,.0f} ms per row) "
            f"with any number of workers"
            + (f"; the floor at {SLOW} needs {ms(floor)} ms per row." if floor else ".")
            + (
                f" Measured with {top} workers: {ms(summary.per_row('robot', SLOW, top))} ms per row."
                if top > 1 and summary.runs("robot", SLOW, top)
                else ""
            )
        )
    return out


def _speed_table(summary: Summary) -> list[str]:
    out = [
        "",
        "## Speed",
        "",
        "*ms/row* = (last row done − start) / rows, start-up (browser launch, login, opening the application) "
        "included, the wait for customs receipts excluded. *Steady* = time between the first and the last row "
        "done / (rows − 1). Ratios against the floors at the same latency and number of workers (request "
        "streams). Medians over the runs.",
        "",
        "| latency | workers | client | ms/row | steady ms/row | rows/min | ÷ floor | ÷ floor, steady "
        "| ÷ floor without dialog page | rows done / confirmed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for latency in summary.latencies:
        for n in summary.workers:
            for kind in summary.kinds:
                runs = summary.runs(kind, latency, n)
                if not runs:
                    continue
                oks = ", ".join(f"{r['ok']}/{r['confirmed']}" for r in runs)
                out.append(
                    f"| {latency} | {n} | {KIND_NAMES.get(kind, kind)} | {ms(summary.per_row(kind, latency, n))} "
                    f"| {ms(summary.steady(kind, latency, n))} | {num(summary.rate(kind, latency, n))} "
                    f"| {num(summary.ratio(kind, 'floor', latency, n), 2)} "
                    f"| {num(summary.ratio(kind, 'floor', latency, n, steady=True), 2)} "
                    f"| {num(summary.ratio(kind, 'floor_bare', latency, n), 2)} | {oks} |"
                )
    out += [
        "",
        "Robot start-up and tail (medians): time to the first row done, and after the last row (one pass over "
        "补录信息查询 + writing the report):",
        "",
        "| latency | workers | client | first row after (s) | after last row (s) | robot total (s) |",
        "|---|---|---|---|---|---|",
    ]
    for latency in summary.latencies:
        for n in summary.workers:
            for kind in ("robot_per_row", "robot"):
                if summary.runs(kind, latency, n):
                    out.append(
                        f"| {latency} | {n} | `{kind}` | {num(summary.value(kind, latency, n, 'first_row_s'))} "
                        f"| {num(summary.value(kind, latency, n, 'after_rows_s'))} "
                        f"| {num(summary.value(kind, latency, n, 'total_s'))} |"
                    )
    return out


def _request_rows(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Requests per row done by kind (median over runs); static files summed into one line."""
    per_run: list[dict[str, float]] = []
    for run in runs:
        counts: dict[str, float] = {}
        for kind, n in (run.get("requests") or {}).items():
            key = "GET /static/* (scripts, styles, fonts)" if " /static/" in kind else kind
            counts[key] = counts.get(key, 0) + n / max(1, run["ok"])
        per_run.append(counts)
    keys = {k for c in per_run for k in c}
    return {k: median([c.get(k, 0.0) for c in per_run]) or 0.0 for k in keys}


def _round_trips(summary: Summary) -> list[str]:
    """Requests that reached the portal per row done, by client (the mock's test API counts them)."""
    out = ["", "## Round trips per row", ""]
    for latency in (SLOW, ZERO):
        columns = [k for k in summary.kinds if any(r.get("requests") for r in summary.runs(k, latency, 1))]
        if not columns:
            continue
        table = {k: _request_rows(summary.runs(k, latency, 1)) for k in columns}
        keys = sorted(
            {key for t in table.values() for key in t}, key=lambda k: (-max(t.get(k, 0) for t in table.values()), k)
        )
        out += [
            f"Requests that reached the mock portal during a run ({latency}, 1 worker), counted by the portal "
            "itself (`GET /__test__/requests`), divided by the rows done: start-up requests (login, the "
            "application's pages) count as a fraction per row; a browser's cache hits never reach the portal.",
            "",
            "| request | " + " | ".join(f"`{k}`" for k in columns) + " |",
            "|---|" + "---|" * len(columns),
        ]
        for key in keys:
            out.append(f"| `{key}` | " + " | ".join(f"{table[k].get(key, 0.0):.2f}" for k in columns) + " |")
        out.append("| **all requests** | " + " | ".join(f"**{sum(table[k].values()):.2f}**" for k in columns) + " |")
        out.append(
            "| all but static files | "
            + " | ".join(f"{sum(v for q, v in table[k].items() if '/static/' not in q):.2f}" for k in columns)
            + " |"
        )
        out.append("")
        break
    return out


def _phase_columns(summary: Summary) -> list[tuple[str, dict[str, Any]]]:
    cols = []
    for latency in (SLOW, ZERO):
        for kind in ("robot_per_row", "robot"):
            runs = summary.runs(kind, latency, 1)
            if runs:
                cols.append((f"`{kind}` {latency}", runs[len(runs) // 2]))
    return cols


def _phases(summary: Summary) -> list[str]:
    """Where the robot's time per row goes: the steps it logs, then timers inside them (1 worker)."""
    cols = _phase_columns(summary)
    out = ["", "## Where the robot's time goes", ""]
    if not cols or not any(run.get("steps_s") for _, run in cols):
        return [*out, "No phase timings in these results."]
    steps = sorted(
        {s for _, run in cols for s in run.get("steps_s", {})},
        key=lambda s: -max(run.get("steps_s", {}).get(s, 0.0) / max(1, run["ok"]) for _, run in cols),
    )
    out += [
        "Per row done (one run per column, 1 worker): the named steps of the portal flow as the robot logs them "
        "(debug records of flows/portal.py `PortalWorker._step`, added up over the run), in ms per row and "
        "(calls per row). The steps overlap nothing: what is left of the wall time is start-up, the politeness "
        "pause, the journal and the runner between steps.",
        "",
        "| step (robot's log) | " + " | ".join(c for c, _ in cols) + " |",
        "|---|" + "---|" * len(cols),
    ]
    for step in steps:
        cells = []
        for _, run in cols:
            seconds = run.get("steps_s", {}).get(step)
            calls = run.get("step_calls", {}).get(step, 0)
            rows = max(1, run["ok"])
            cells.append("–" if seconds is None else f"{seconds / rows * 1000:,.0f} ({calls / rows:.2f})")
        out.append(f"| {step} | " + " | ".join(cells) + " |")
    out.append(
        "| sum of the steps | "
        + " | ".join(f"{sum(run.get('steps_s', {}).values()) / max(1, run['ok']) * 1000:,.0f}" for _, run in cols)
        + " |"
    )
    out.append(
        "| wall time per row (start-up included) | "
        + " | ".join(f"{run['wall_s'] / max(1, run['ok']) * 1000:,.0f}" for _, run in cols)
        + " |"
    )
    inner = [(k, label) for k, label in INNER_PHASES if any(k in run.get("phase_s", {}) for _, run in cols)]
    if inner:
        out += [
            "",
            "Inside the steps, ms per row (timers that bench/robot_once.py wraps around robot and flows methods "
            "in its own process; no behaviour change):",
            "",
            "| method | " + " | ".join(c for c, _ in cols) + " |",
            "|---|" + "---|" * len(cols),
        ]
        for key, label in inner:
            cells = []
            for _, run in cols:
                seconds = run.get("phase_s", {}).get(key)
                cells.append("–" if seconds is None else f"{seconds / max(1, run['ok']) * 1000:,.0f}")
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    return out


def _cpu_section(summary: Summary, results: dict[str, Any]) -> list[str]:
    out = [
        "",
        "## Browser CPU per row",
        "",
        "CPU seconds (user + system) per row done, by process group, read with psutil over the robot's process "
        "tree every 0.25 s (each process's last reading; *browser* = all Chromium processes, *driver* = "
        "Playwright's node process, *portal* = the mock portal, *machine* = all CPUs busy, the time a virtual "
        "machine's host kept for others (steal) left out, *foreign* = machine − the processes listed: other programs "
        "on this shared machine; under steal the processes' own times hold some of it and foreign reads 0); "
        "*browser, steady* = the browser's CPU between the first and the "
        "last row done / (rows − 1), start-up left out. Before issue 20 the browser needed "
        f"{CPU_BEFORE} CPU-s per row at {ZERO} on this front end; the target is half of it.",
        "",
        "| latency | workers | client | browser | browser, steady | driver | robot | portal | foreign | machine "
        "| wall s/row |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for latency in summary.latencies:
        for n in summary.workers:
            for kind in ("browser_min", "robot_per_row", "robot"):
                if not summary.runs(kind, latency, n):
                    continue

                def cpu(group: str, kind: str = kind, latency: str = latency, n: int = n) -> str:
                    return num(summary.cpu_per_row(kind, latency, n, group), 3)

                out.append(
                    f"| {latency} | {n} | `{kind}` | {cpu('browser')} "
                    f"| {num(summary.cpu_steady(kind, latency, n), 3)} | {cpu('driver')} | {cpu('robot')} "
                    f"| {cpu('portal')} | {cpu('foreign')} | {cpu('machine')} "
                    f"| {num(summary.per_row(kind, latency, n), 3)} |"
                )
    cores = results["machine"].get("cores") or 1
    out += [
        "",
        f"With {cores} cores, N workers can at best divide the wall time by min(N, cores × wall / CPU of a row): "
        "when a row already costs about as much CPU as its wall time on the cores there are, more workers only "
        "queue for the CPU.",
    ]
    return out


def _trace_what_if(results: dict[str, Any]) -> list[str]:
    """The short profile runs (`--profile-rows`): the robot with and without Playwright tracing."""
    profiles = {p["run_label"]: p for p in results.get("profiles") or []}
    out: list[str] = []
    for latency in (ZERO, SLOW):
        traced, bare = profiles.get(f"profile {latency} 1w"), profiles.get(f"profile {latency} 1w no-trace")
        if traced and bare:
            a, b = traced["wall_s"] / max(1, traced["ok"]), bare["wall_s"] / max(1, bare["ok"])
            out.append(
                f"| {latency} | {traced['rows']} | {ms(a)} | {ms(b)} | {(a - b) * 1000:+,.0f} "
                f"| {num(traced['cpu_s'].get('browser', 0) / max(1, traced['ok']), 3)} "
                f"| {num(bare['cpu_s'].get('browser', 0) / max(1, bare['ok']), 3)} |"
            )
    if not out:
        return []
    return [
        "",
        "### What-if: no per-row trace",
        "",
        "Short 1-worker runs of the robot at its defaults, once with the per-row Playwright trace (the evidence "
        "kept for failed rows) and once with tracing off (`bench.robot_once --no-trace`, a what-if only):",
        "",
        "| latency | rows | ms/row traced | ms/row no trace | difference | browser CPU-s/row traced | no trace |",
        "|---|---|---|---|---|---|---|",
        *out,
    ]


def _method(results: dict[str, Any]) -> list[str]:
    s = results["settings"]
    interval = s.get("submit_interval")
    return [
        "",
        "## What is measured",
        "",
        "- Every run starts its own mock portal (`python -m mock_portal --port 0 --test-api --certs "
        f"{s['certs']} --receipt-delay 86400`, default front end: layui), builds the workbook with "
        "`bench/workbooks.py` (approved certificates of exporter1, 海关 then 贸促会, one valid number each), "
        "and works all rows; the test API confirms the submissions afterwards (*confirmed*) and counts the "
        "requests that reached the portal (*round trips*).",
        "- Latency `300 ms ± 50` is the mock's `--latency-ms 250 --jitter-ms 100` (250 + uniform 0–100 ms on "
        "every page and XHR; static files and the test API are exempt).",
        "- **Floor** (`bench/floor.py`, kind `floor`): httpx, log in once per session (login page, captcha "
        "answer from the test API, login form, one page load for the session's CSRF token), then per row every "
        "request the page needs, in its order: the search XHR, the 补录 dialog's page (the layui layer is an "
        "iframe whose page loads for every row; its scripts and styles a browser has cached), the save XHR. "
        "**floor_bare**: the same without the dialog's page (the floor before issue 20). N workers = N "
        "concurrent request streams on the one logged-in session.",
        "- **browser_min** (`bench/browser_min.py`): not the robot, a script that knows the mock's markup: after "
        "the robot's own way in and list search, per row only 【补录】, 是, the number, 【提交】 and the wait for "
        "the dialog to go away (no outcome read, no trace, no journal; animations cut as the robot's profile "
        "does). What any browser-driving client pays for this page; 1 worker.",
        '- **Robot** (`bench/robot_once.py`): `run_job` in its own process with `captcha_solver="test-api"`, a '
        "fresh journal, `workers` as given, everything else at the robot's defaults, as `corobot run` runs "
        "(tracing of each row for evidence included; politeness pause "
        + (
            f"`min_submit_interval_s = {interval:g}` instead of the default"
            if interval is not None
            else "`min_submit_interval_s` at its default"
        )
        + "). `robot_per_row` adds `search_mode=row` (one 【查询】 per row). **Excluded:** the wait for customs "
        "receipts (`receipt_deadline_s = 0`; no receipt arrives during the run) and Python's start-up (the clock "
        "starts when `run_job` is called).",
        "- The rows-done clock of the robot comes from its journal (rows in state `submitted`), read every "
        "0.25 s by the sampler (so robot times are up to 0.25 s late); the floor stamps each answer itself.",
        "- Phases: the robot logs each named step of the portal flow at debug level with its duration "
        "(flows/portal.py `PortalWorker._step`); bench/robot_once.py adds them up through a log sink.",
        "- Floor and robot runs alternate (floor_bare, floor, robot, robot_per_row at 300 ms with 1 worker, "
        "then floor_bare, floor, robot at 0 ms, then floor and robot with more workers at 300 ms) so that "
        "drift of the machine affects all alike.",
    ]
