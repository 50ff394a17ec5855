"""Renders the benchmark page (BENCHMARKS.md) and its charts (img/bench-*.png) from the raw results.

Pure reporting: medians over runs, ratios, targets met or missed (with the reason and the profile
that shows it). Targets are recorded here, never asserted anywhere.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.3
TARGET_SCALING = 3.5
TARGET_GROWTH = 0.10
TARGET_READ_S = 3.0
TARGET_REPORT_S = 5.0
ISSUE_ROWS = 200
ISSUE_RUNS = 3
ISSUE_MEMORY_ROWS = 1000
PHASE_ROWS = (
    ("Runner._work", "whole row (Runner._work)"),
    ("PortalWorker.find_certificate", "  find the certificate"),
    ("AppShell.open_page", "    focus tab 报关单号补录 (menu click)"),
    ("SearchPage.search", "    fill criteria, 【查询】, wait for its XHR"),
    ("PortalWorker.prepare", "  prepare the dialog"),
    ("SupplementDialog.open_from", "    【补录】, wait for the dialog showing this 证明号"),
    ("SupplementDialog.fill", "    是 + numbers"),
    ("PortalWorker.send", "  send"),
    ("SupplementDialog.submit", "    【提交】, wait for the XHR and the dialog to close"),
    ("RowEvidence.start", "  per-row trace: start"),
    ("RowEvidence.discard", "  per-row trace: discard"),
    ("Journal.record_intent", "  journal: intent"),
    ("Journal.record_submitted", "  journal: submitted"),
)


def _median(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:,.0f}"


def _f(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


class Summary:
    """Medians per (kind, latency, workers)."""

    def __init__(self, results: dict[str, Any]) -> None:
        self.results = results
        self.groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
        for run in results["runs"]:
            self.groups.setdefault((run["kind"], run["latency"], run["workers"]), []).append(run)

    @property
    def latencies(self) -> list[str]:
        return list(dict.fromkeys(r["latency"] for r in self.results["runs"]))

    @property
    def workers(self) -> list[int]:
        return sorted({r["workers"] for r in self.results["runs"]})

    def runs(self, kind: str, latency: str, workers: int) -> list[dict[str, Any]]:
        return self.groups.get((kind, latency, workers), [])

    def per_row(self, kind: str, latency: str, workers: int, key: str = "wall_s") -> float | None:
        values = [
            r[key] / max(1, r["ok"]) if key == "wall_s" else r.get(key) for r in self.runs(kind, latency, workers)
        ]
        return _median(values)

    def value(self, kind: str, latency: str, workers: int, key: str) -> float | None:
        return _median([r.get(key) for r in self.runs(kind, latency, workers)])

    def rate(self, kind: str, latency: str, workers: int) -> float | None:
        per_row = self.per_row(kind, latency, workers)
        return 60 / per_row if per_row else None

    def ratio(self, latency: str, workers: int, floor_workers: int | None = None) -> float | None:
        robot = self.per_row("robot", latency, workers)
        floor = self.per_row("floor", latency, floor_workers or workers)
        return robot / floor if robot and floor else None

    def scaling(self, latency: str, kind: str = "robot") -> float | None:
        one, top = self.rate(kind, latency, 1), self.rate(kind, latency, max(self.workers))
        return top / one if one and top else None


def render(results: dict[str, Any], out: Path) -> str:
    """Writes out/BENCHMARKS.md and out/img/bench-*.png; returns a short text summary."""
    summary = Summary(results)
    img = out / "img"
    img.mkdir(parents=True, exist_ok=True)
    charts = _charts(summary, results, img)
    text = _page(summary, results, charts)
    page = out / "BENCHMARKS.md"
    page.write_text(text, encoding="utf-8")
    lines = [f"wrote {page}"] + [f"wrote {img / c}" for c in charts]
    for latency in summary.latencies:
        lines.append(
            f"{latency}: robot/floor (1 worker) = {_f(summary.ratio(latency, 1), 2)}, "
            f"scaling {max(summary.workers or [1])}w/1w = {_f(summary.scaling(latency), 2)}"
        )
    return "\n".join(lines)


def _targets(summary: Summary, results: dict[str, Any]) -> list[tuple[str, str, bool | None, str]]:
    slow = next((lat for lat in summary.latencies if lat != "0 ms"), None)
    rows: list[tuple[str, str, bool | None, str]] = []
    ratio = summary.ratio(slow, 1) if slow else None
    rows.append(
        (
            f"robot / floor ≤ {TARGET_RATIO} at 300 ms latency, 1 worker",
            _f(ratio, 2),
            None if ratio is None else ratio <= TARGET_RATIO,
            "#why-the-robot-is-slower-than-the-floor",
        )
    )
    top = max(summary.workers or [1])
    for latency in summary.latencies:
        scale = summary.scaling(latency)
        rows.append(
            (
                f"{top} workers ≥ {TARGET_SCALING}× the 1-worker rate ({latency})",
                _f(scale, 2),
                None if scale is None else scale >= TARGET_SCALING,
                "#why-workers-do-not-scale",
            )
        )
    if summary.groups and any(k[0] == "robot-polite" for k in summary.groups):
        for latency in summary.latencies:
            scale = summary.scaling(latency, "robot-polite")
            rows.append(
                (
                    f"{top} workers ≥ {TARGET_SCALING}× the 1-worker rate ({latency}, robot's default politeness)",
                    _f(scale, 2),
                    None if scale is None else scale >= TARGET_SCALING,
                    "#the-robot-at-its-default-politeness",
                )
            )
    memory = results.get("memory")
    if memory:
        growth = _growth(memory)
        rows.append(
            (
                f"browser memory grows ≤ 10 % from row 50 to row {memory['rows']:,}",
                "–" if growth is None else f"{growth * 100:+.1f} %",
                None if growth is None or memory["ok"] < memory["rows"] else growth <= TARGET_GROWTH,
                "#browser-memory-over-a-long-run",
            )
        )
    data = results.get("data_layer")
    if data:
        rows.append(
            (
                f"{data['rows']:,} rows read and validated ≤ {TARGET_READ_S:.0f} s",
                f"{data['read_median_s']:.2f} s",
                data["read_median_s"] <= TARGET_READ_S,
                "#data-layer",
            )
        )
        rows.append(
            (
                f"their report written ≤ {TARGET_REPORT_S:.0f} s",
                f"{data['report_median_s']:.2f} s",
                data["report_median_s"] <= TARGET_REPORT_S,
                "#data-layer",
            )
        )
    return rows


def _growth(memory: dict[str, Any]) -> float | None:
    start, end = _browser_at(memory)
    return (end - start) / start if start and end else None


def _browser_at(run: dict[str, Any], window: int = 5) -> tuple[float | None, float | None]:
    """Browser MiB around row 50 and around the last row, from the samples taken before the last row was
    done (the tail — one 补录信息查询 pass and the report — is left out)."""
    curve = run.get("curve") or []
    ok = run.get("ok", 0)
    done = next((p for p in curve if p[1] >= ok), None) if ok else None
    before = [p for p in curve if done is None or p[0] <= done[0]]

    def near(target: int) -> float | None:
        values = sorted(p[2] for p in before if abs(p[1] - target) <= window)
        return values[len(values) // 2] if values else None

    if not before:
        return run.get("browser_at50_mib"), run.get("browser_atlast_mib")
    return near(min(50, ok)), near(ok)


def _page(summary: Summary, results: dict[str, Any], charts: list[str]) -> str:
    s = results["settings"]
    m = results["machine"]
    out: list[str] = [
        "# Benchmarks: how close the robot comes to the portal's own limit",
        "",
        "Generated by `make bench` (`python -m bench`; the raw numbers are in `bench/results/latest.json`). "
        "Do not edit by hand: run it again.",
        "",
        f"Run {results['started']}, {results.get('elapsed_s', 0) / 60:.0f} minutes: "
        f"`{_short(s['command'])}` — {s['rows']} rows per run, {s['runs']} runs per setting (medians), "
        f"workers {', '.join(map(str, s['workers']))}, mock portal with `--certs {s['certs']}`.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}; "
        f"Playwright {m['playwright']}; {m['browser_version']}."
        + (f" Code measured: commit `{m['commit']}`." if m.get("commit") else ""),
    ]
    if s.get("quick"):
        out += ["", "> **Quick mode (smoke check): too few rows and runs for the numbers to mean much.**"]
    out += ["", "## Targets", "", "| target | measured | | details |", "|---|---|---|---|"]
    for name, measured, ok, anchor in _targets(summary, results):
        out.append(f"| {name} | {measured} | {_mark(ok)} | [why]({anchor}) |")
    out += _deviations(summary, results)
    out += _findings(summary, results)
    out += _speed_tables(summary)
    out += _polite_section(summary, results)
    out += _memory_section(summary, results)
    out += _data_section(results)
    out += _harvest_section()
    out += _soak_section()
    out += _frontend_section()
    out += _profiles(summary, results)
    out += _method(results)
    if charts:
        out += ["", "## Charts", ""] + [f"![{c}](img/{c})" for c in charts]
    return "\n".join(out) + "\n"


def _short(command: str) -> str:
    """The command line without the (long) --note text, which the page shows as a deviation."""
    return command.split(" --note ")[0].strip()


def _deviations(summary: Summary, results: dict[str, Any]) -> list[str]:
    """Where this run differs from what the issue asks (200 rows, ≥ 3 runs, 1/2/4 workers, 1,000-row run)."""
    s = results["settings"]
    notes: list[str] = []
    if s["rows"] != ISSUE_ROWS:
        notes.append(f"{s['rows']} rows per run instead of {ISSUE_ROWS}" + (f": {s['note']}" if s.get("note") else ""))
    counts = {len(v) for k, v in summary.groups.items() if k[0] in ("floor", "robot")}
    if counts and min(counts) < ISSUE_RUNS:
        notes.append(
            f"some settings have fewer than {ISSUE_RUNS} runs (runs per setting: {', '.join(map(str, sorted(counts)))})"
        )
    memory = results.get("memory")
    if not memory:
        notes.append("no long memory-growth run")
    elif memory["rows"] < ISSUE_MEMORY_ROWS or memory["ok"] < memory["rows"]:
        notes.append(f"the memory-growth run reached row {memory['ok']:,} of {ISSUE_MEMORY_ROWS:,}")
    if results.get("skipped"):
        notes.append("skipped at the deadline (`--deadline-min`): " + ", ".join(results["skipped"]))
    if results.get("code_note"):
        notes.append(results["code_note"])
    if not notes:
        return []
    return ["", "**Deviations from the issue's protocol in this run:**", ""] + [f"- {n}" for n in notes]


def _phase_per_row(profile: dict[str, Any], key: str) -> float:
    return profile["phase_s"].get(key, 0.0) / max(1, profile["ok"])


def _profile_findings(profiles: dict[str, dict[str, Any]], slow: str | None) -> list[str]:
    """What the 1-worker profile runs at the slow latency show: the largest steps, and the cost of tracing."""
    out: list[str] = []
    traced = profiles.get(f"profile {slow} 1w") if slow else None
    if traced:
        rows = max(1, traced["ok"])
        calls = traced["phase_calls"]
        tabs = calls.get("AppShell.open_page", 0) / rows
        steps = sorted(
            (
                (_phase_per_row(traced, k), label.strip())
                for k, label in PHASE_ROWS
                if k
                not in ("Runner._work", "PortalWorker.find_certificate", "PortalWorker.prepare", "PortalWorker.send")
            ),
            reverse=True,
        )[:4]
        out.append(
            f"- Largest steps per row at {slow} (profile run): "
            + "; ".join(f"{label} {sec * 1000:,.0f} ms" for sec, label in steps)
            + "."
        )
        if tabs >= 1.5:
            out.append(
                f"- The tab 报关单号补录 is re-focused {tabs:.1f}× per row (menu click, then waits for the "
                f"iframe) although it is already the active tab: "
                f"{_phase_per_row(traced, 'AppShell.open_page') * 1000:,.0f} ms per row. Possible fix "
                "(flows/portal.py `_search_page`): skip `open_page` while the search tab is the active one."
            )
        certs = traced.get("requests", {}).get("POST /origin/api/supplement/certs", 0) / rows
        if certs > 1.5:
            out.append(
                f"- The browser sends {certs:.1f} search XHRs per row: the page itself re-runs its query "
                "after 【提交】 (search.js), on top of the robot's own 【查询】. The robot does not wait "
                "for that answer (flows/pages/search_page.py `search`: the portal drops answers of "
                "superseded queries, and the robot takes the answer whose request asked for its "
                "criteria), so it costs the portal a request but the row no time."
            )
    no_trace = profiles.get(f"profile {slow} 1w no-trace") if slow else None
    if traced and no_trace:
        a = traced["wall_s"] / max(1, traced["ok"])
        b = no_trace["wall_s"] / max(1, no_trace["ok"])
        out.append(
            f"- Per-row tracing (evidence) costs {(a - b) * 1000:+,.0f} ms per row at {slow} "
            f"({a * 1000:,.0f} ms with, {b * 1000:,.0f} ms without; one {traced['rows']}-row run each): "
            "every Playwright action takes a DOM snapshot for the trace (robot/session/browser.py "
            "`tracing.start(screenshots=False, snapshots=True)`), even for rows that succeed and whose "
            "trace is discarded. The robot keeps it: a failed row's trace is the evidence ops staff and "
            "developers read."
        )
    return out


def _findings(summary: Summary, results: dict[str, Any]) -> list[str]:
    """Plain-language reading of the numbers (derived from them, so it stays true when re-run)."""
    out = ["", "### What the numbers say", ""]
    slow = next((lat for lat in summary.latencies if lat != "0 ms"), None)
    profiles = {p["run_label"]: p for p in results.get("profiles") or []}
    for latency in summary.latencies:
        robot, floor = summary.per_row("robot", latency, 1), summary.per_row("floor", latency, 1)
        if robot and floor:
            out.append(
                f"- At {latency}, one worker: the robot needs {robot * 1000:,.0f} ms per row, the floor "
                f"{floor * 1000:,.0f} ms: {robot - floor:,.2f} s per row are the browser's own work "
                f"(ratio {robot / floor:.2f})."
            )
    out += _profile_findings(profiles, slow)
    for latency in summary.latencies[1:]:
        floor = summary.per_row("floor", latency, 1)
        robot = summary.per_row("robot", latency, 1)
        if floor and robot and robot / floor > TARGET_RATIO:
            out.append(
                f"- To reach robot / floor ≤ {TARGET_RATIO} at {latency}, the browser's own work per row "
                f"would have to fit in {(TARGET_RATIO - 1) * floor * 1000:,.0f} ms (it is "
                f"{(robot - floor) * 1000:,.0f} ms). Besides the two round trips the floor also makes, a row "
                "is about ten Playwright actions (fill 证明号, 【查询】, 【补录】, wait for the dialog, 是, "
                "numbers, 【提交】, wait for it to close, trace start and stop); each costs a driver round "
                "trip, and every click first waits for its element to be visible, enabled and stable (two "
                "animation frames). Skipping those checks (`force=True`) would make the robot faster and "
                "blind; overlapping rows with workers is the lever that remains."
            )
    cores = results["machine"].get("cores") or 1
    for latency in summary.latencies:
        runs = summary.runs("robot", latency, 1)
        if not runs:
            continue
        cpu = _median(
            [
                sum(r["cpu_s"].get(g, 0.0) for g in ("robot", "driver", "browser", "portal")) / max(1, r["ok"])
                for r in runs
            ]
        )
        wall = summary.per_row("robot", latency, 1)
        scale = summary.scaling(latency)
        if cpu and wall:
            out.append(
                f"- At {latency}, one row costs {cpu:.2f} CPU-seconds (robot + driver + browser + portal) "
                f"for {wall:.2f} s of wall time; {cores} cores allow at most {cores * wall / cpu:.1f}× with "
                f"more workers; measured {max(summary.workers)} workers / 1: "
                f"{'–' if scale is None else f'{scale:.2f}×'}."
            )
    foreign = _median([r["cpu_s"].get("foreign") for r in results["runs"] if r.get("cpu_s")])
    machine = _median([r["cpu_s"].get("machine") for r in results["runs"] if r.get("cpu_s")])
    if foreign is not None and machine:
        out.append(
            f"- Other programs on this shared machine used a median {foreign / machine * 100:.0f} % of the "
            "CPU time spent during the robot runs (see the load averages below): absolute numbers are "
            "pessimistic, ratios measured side by side less so."
        )
    return out


def _speed_tables(summary: Summary) -> list[str]:
    out = [
        "",
        "## Speed",
        "",
        "Per-row wall time = (last row submitted − start) / rows, start-up (browser launch, login, opening "
        "the application) included, the wait for customs receipts excluded. *Steady* = time between the "
        "first and the last submission / (rows − 1). Ratio = robot / floor at the same latency and "
        "number of workers (request streams). Medians over the runs.",
        "",
        "| latency | workers | floor ms/row | floor rows/min | robot ms/row | robot rows/min | **robot / floor** "
        "| robot steady ms/row | floor steady ms/row | robot rows ok / confirmed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for latency in summary.latencies:
        for n in summary.workers:
            robots = summary.runs("robot", latency, n)
            oks = ", ".join(f"{r['ok']}/{r['confirmed']}" for r in robots)
            out.append(
                f"| {latency} | {n} | {_ms(summary.per_row('floor', latency, n))} "
                f"| {_f(summary.rate('floor', latency, n), 0)} | {_ms(summary.per_row('robot', latency, n))} "
                f"| {_f(summary.rate('robot', latency, n), 1)} | **{_f(summary.ratio(latency, n), 2)}** "
                f"| {_ms(summary.value('robot', latency, n, 'steady_s'))} "
                f"| {_ms(summary.value('floor', latency, n, 'steady_s'))} | {oks} |"
            )
    out += [
        "",
        "Ratio against the single-session floor (what one person's account allows at best, one request "
        "after the other):",
        "",
        "| latency | " + " | ".join(f"{n} worker(s)" for n in summary.workers) + " |",
        "|---|" + "---|" * len(summary.workers),
    ]
    for latency in summary.latencies:
        out.append(f"| {latency} | " + " | ".join(_f(summary.ratio(latency, n, 1), 2) for n in summary.workers) + " |")
    out += [
        "",
        "Robot start-up and tail (medians): time to the first submitted row, and after the last row "
        "(one pass over 补录信息查询 + writing the report):",
        "",
        "| latency | workers | first row after (s) | after last row (s) | robot total (s) |",
        "|---|---|---|---|---|",
    ]
    for latency in summary.latencies:
        for n in summary.workers:
            out.append(
                f"| {latency} | {n} | {_f(summary.value('robot', latency, n, 'first_row_s'))} "
                f"| {_f(summary.value('robot', latency, n, 'after_rows_s'))} "
                f"| {_f(summary.value('robot', latency, n, 'total_s'))} |"
            )
    return out


def _polite_section(summary: Summary, results: dict[str, Any]) -> list[str]:
    polite = results.get("polite_pass")
    if not polite:
        return []
    interval = polite.get("min_submit_interval_s")
    out = [
        "",
        "## The robot at its default politeness",
        "",
        f"A first pass of this session ({polite['started']}, {polite['settings']['rows']} rows, "
        f"{polite['settings']['runs']} runs, mock with `--certs {polite['settings']['certs']}`) ran the robot at "
        "its default settings, which include "
        f"`min_submit_interval_s = {interval if interval is not None else 'default'}` (robot/core/config.py: a "
        "pause of that length between two 【提交】 of all workers together), so all workers together cannot "
        "submit faster than one row per interval. Ratios below use the floor of the main pass (the floors "
        "measured side by side "
        "with either pass agree within a few per cent: raw JSON).",
        "",
        "| latency | workers | robot ms/row | robot rows/min | robot / floor | speed-up vs 1 worker |",
        "|---|---|---|---|---|---|",
    ]
    for latency in summary.latencies:
        one = summary.rate("robot-polite", latency, 1)
        for n in summary.workers:
            per_row = summary.per_row("robot-polite", latency, n)
            floor = summary.per_row("floor", latency, n)
            rate = summary.rate("robot-polite", latency, n)
            out.append(
                f"| {latency} | {n} | {_ms(per_row)} | {_f(rate, 1)} "
                f"| {_f(per_row / floor if per_row and floor else None, 2)} "
                f"| {_f(rate / one if rate and one else None, 2)} |"
            )
    return out


def _memory_section(summary: Summary, results: dict[str, Any]) -> list[str]:
    out = [
        "",
        "## Memory",
        "",
        "Robot = the Python process running `run_job` (peak RSS from `getrusage`); driver = Playwright's "
        "node process; browser = the sum of RSS of all Chromium processes, sampled every 0.25 s "
        "(shared pages count once per process). Medians over the runs, MiB.",
        "",
        "| latency | workers | robot peak | driver peak | browser peak | browser at row 50 "
        "| browser at last row | growth |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for latency in summary.latencies:
        for n in summary.workers:
            points = [_browser_at(r) for r in summary.runs("robot", latency, n)]
            at50 = _median([p[0] for p in points])
            last = _median([p[1] for p in points])
            growth = f"{(last - at50) / at50 * 100:+.1f} %" if at50 and last else "–"
            out.append(
                f"| {latency} | {n} | {_f(summary.value('robot', latency, n, 'robot_peak_mib'), 0)} "
                f"| {_f(summary.value('robot', latency, n, 'driver_peak_mib'), 0)} "
                f"| {_f(summary.value('robot', latency, n, 'browser_peak_mib'), 0)} "
                f"| {_f(at50, 0)} | {_f(last, 0)} | {growth} |"
            )
    memory = results.get("memory")
    out += ["", "### Browser memory over a long run", ""]
    if not memory:
        return [*out, "Not measured in this run (`--memory-rows 0`)."]
    growth = _growth(memory)
    if memory.get("from_pass"):
        out += [
            f"(From the first pass, `{memory['from_pass']}`: the robot at its default politeness, "
            f"`min_submit_interval_s = {memory.get('min_submit_interval_s', 1.0)}`; memory per row does "
            "not depend on the pause, only the run's length.)",
            "",
        ]
    out += [
        f"One run of {memory['rows']:,} rows at {memory['latency']} latency, 1 worker: {memory['ok']:,} rows "
        f"submitted in {memory['wall_s'] / 60:.1f} min ({memory['wall_s'] / max(1, memory['ok']) * 1000:,.0f} "
        f"ms/row). Browser memory at row 50: {_browser_at(memory)[0] or 0:,.0f} MiB, at row {memory['ok']:,}: "
        f"{_browser_at(memory)[1] or 0:,.0f} MiB "
        f"({'–' if growth is None else f'{growth * 100:+.1f} %'}); peak {memory['browser_peak_mib']:,.0f} MiB. "
        f"Robot process peak {memory['robot_peak_mib']:,.0f} MiB, "
        f"driver peak {memory['driver_peak_mib']:,.0f} MiB.",
        "",
        f"The dips every {_recycle_rows()} rows in `img/bench-memory.png` are the runner replacing the "
        "worker's browser context with a fresh one carrying the same login (`recycle_every_rows`, "
        "robot/core/config.py), which keeps long runs from accumulating renderer memory.",
        "",
        "Browser memory is the median of the samples taken within ±5 rows of that row, before the last row "
        "was done. By Chromium process type (MiB; one sample near that row, which may include the final "
        "补录信息查询 pass):",
        "",
        "| process type | at row 50 | at last row | change |",
        "|---|---|---|---|",
    ]
    a, b = memory.get("browser_types_at50", {}), memory.get("browser_types_atlast", {})
    for kind in sorted(set(a) | set(b)):
        x, y = a.get(kind, 0.0), b.get(kind, 0.0)
        out.append(f"| {kind} | {x:,.0f} | {y:,.0f} | {y - x:+,.0f} |")
    if growth is not None and growth > TARGET_GROWTH:
        grown = max(set(a) | set(b), key=lambda k: b.get(k, 0) - a.get(k, 0))
        out += [
            "",
            f"**Missed.** The growth is in the `{grown}` process(es) (table above; the curve is in "
            "`img/bench-memory.png`). See the profile notes below.",
        ]
    return out


def _recycle_rows() -> int:
    from robot.core.config import Settings

    return Settings().recycle_every_rows


HARVEST_RESULTS = Path(__file__).parent / "results" / "harvest.md"


def _harvest_section() -> list[str]:
    """`corobot harvest` of 1,000+ entries (issue 4), from `python -m bench.harvest` (bench/results/harvest.md)."""
    out = ["", "## Harvest of 补录信息查询", ""]
    if not HARVEST_RESULTS.exists():
        return [*out, "Not measured yet: `python -m bench.harvest > bench/results/harvest.md`."]
    return [
        *out,
        "`python -m bench.harvest`: the mock portal is seeded with supplements through the floor client, "
        "then `corobot harvest OUT.xlsx` (and `--details` on a smaller set) runs as a subprocess. Peak RSS "
        "sampled every 0.2 s; the browser column sums all Chromium processes (shared pages counted in each). "
        "The robot process stays flat because pages are written to the workbook as they are read.",
        "",
        HARVEST_RESULTS.read_text(encoding="utf-8").strip(),
    ]


SOAK_RESULTS = Path(__file__).parent / "results" / "soak.md"
FRONTEND_RESULTS = Path(__file__).parent / "results" / "frontend.md"


def _frontend_section() -> list[str]:
    """Robot vs floor on the layui front end (issue 11), from bench/results/frontend.md."""
    out = ["", "## On the front end built from the real libraries (issue 11)", ""]
    if not FRONTEND_RESULTS.exists():
        return [*out, "Not measured yet."]
    return [*out, FRONTEND_RESULTS.read_text(encoding="utf-8").strip()]


def _soak_section() -> list[str]:
    """The fault drill of issue 12 (`make soak`, bench/soak.py), from bench/results/soak.md."""
    out = ["", "## Soak: chaos and SIGKILLs (issue 12)", ""]
    if not SOAK_RESULTS.exists():
        return [
            *out,
            "Not measured yet: `make soak` (about 600 rows with chaos and three SIGKILLs; it writes "
            "bench/results/soak.md).",
        ]
    return [
        *out,
        "`make soak` (`python -m bench.soak`): the robot SIGKILLed three times and run again until it "
        "exits 0; duplicates and lost rows counted through the mock's test API; a run silent for 5 "
        "minutes counts as a hang.",
        "",
        SOAK_RESULTS.read_text(encoding="utf-8").strip(),
    ]


def _data_section(results: dict[str, Any]) -> list[str]:
    data = results.get("data_layer")
    out = ["", "## Data layer", ""]
    if not data:
        return [*out, "Not measured in this run."]
    out += [
        f"`read_input` (read + validate) and `write_report` of a {data['rows']:,}-row workbook (two numbers per "
        f"row; `bench.data_layer.measure`), {len(data['read_s'])} runs: read "
        f"{', '.join(f'{v:.2f}' for v in data['read_s'])} s (median **{data['read_median_s']:.2f} s**, target "
        f"≤ {TARGET_READ_S:.0f} s); report {', '.join(f'{v:.2f}' for v in data['report_s'])} s (median "
        f"**{data['report_median_s']:.2f} s**, target ≤ {TARGET_REPORT_S:.0f} s).",
        "",
        "Profile (cProfile, one more run, both steps; cumulative seconds):",
        "",
        "| cumulative s | own s | calls | function |",
        "|---|---|---|---|",
    ]
    for cumulative, own, calls, where in data["profile"]:
        out.append(f"| {cumulative} | {own} | {calls} | `{where}` |")
    return out


def _phase_table(profiles: list[dict[str, Any]]) -> list[str]:
    head = "| step | " + " | ".join(p["run_label"].replace("profile ", "") for p in profiles) + " |"
    out = [head, "|---|" + "---|" * len(profiles)]
    for key, label in PHASE_ROWS:
        cells = []
        for p in profiles:
            seconds = p["phase_s"].get(key)
            cells.append("–" if seconds is None else f"{seconds / max(1, p['ok']) * 1000:,.0f}")
        out.append(f"| {label.replace('  ', '&nbsp;&nbsp;')} | " + " | ".join(cells) + " |")
    out.append(
        "| wall time per row (start-up included) | "
        + " | ".join(f"{p['wall_s'] / max(1, p['ok']) * 1000:,.0f}" for p in profiles)
        + " |"
    )
    return out


def _profiles(summary: Summary, results: dict[str, Any]) -> list[str]:
    profiles = results.get("profiles") or []
    out = ["", "## Why the robot is slower than the floor", ""]
    slow = next((lat for lat in summary.latencies if lat != "0 ms"), None)
    floor_search = summary.value("floor", slow, 1, "search_s") if slow else None
    floor_submit = summary.value("floor", slow, 1, "submit_s") if slow else None
    if profiles:
        out += [
            f"Phase profile of extra 1-worker runs of {profiles[0]['rows']} rows (`bench.robot_once`: timers "
            "around robot/flows methods, no behaviour change), ms per row. *no-trace* is a what-if only: the "
            "same run with Playwright tracing off (the robot keeps a per-row trace as evidence for failed rows).",
            "",
        ]
        out += _phase_table(profiles)
        out += [
            "",
            f"The floor needs, per row at {slow}: search {_ms(floor_search)} ms + submit "
            f"{_ms(floor_submit)} ms (medians of the XHRs' round trips).",
        ]
        counted = [p for p in profiles if p.get("requests")]
        if counted:
            out += [
                "",
                "Requests the browser sent, per row (whole run / rows):",
                "",
                "| request | " + " | ".join(p["run_label"].replace("profile ", "") for p in counted) + " |",
                "|---|" + "---|" * len(counted),
            ]
            kinds = sorted({k for p in counted for k in p["requests"]})
            for kind in kinds:
                out.append(
                    f"| `{kind}` | "
                    + " | ".join(f"{p['requests'].get(kind, 0) / max(1, p['ok']):.2f}" for p in counted)
                    + " |"
                )
            out.append(
                "| (floor, per row) `POST …/certs` + `POST …/submit` | " + " | ".join("2.00" for _ in counted) + " |"
            )
    out += [
        "",
        "## Why workers do not scale",
        "",
        "CPU seconds per row by process group (medians; *machine* = all CPUs of the machine busy, *foreign* "
        "= what other programs on this shared machine used meanwhile), against the wall time per row:",
        "",
        "| latency | workers | robot | driver | browser | portal | foreign | machine | wall s/row "
        "| cores left by others | CPU-bound limit on speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    cores = results["machine"].get("cores") or 1
    for latency in summary.latencies:
        for n in summary.workers:
            runs = summary.runs("robot", latency, n)
            if not runs:
                continue

            def cpu(group: str, runs: list[dict[str, Any]] = runs) -> float | None:
                return _median([r["cpu_s"].get(group, 0.0) / max(1, r["ok"]) for r in runs])

            ours = sum(cpu(g) or 0.0 for g in ("robot", "driver", "browser", "portal"))
            wall = summary.per_row("robot", latency, n)
            left = _median([cores - r["cpu_s"].get("foreign", 0.0) / r["total_s"] for r in runs if r.get("total_s")])
            limit = ((left or cores) * (wall or 0) / ours) if ours and n == 1 else None
            out.append(
                f"| {latency} | {n} | {_f(cpu('robot'), 3)} | {_f(cpu('driver'), 3)} | {_f(cpu('browser'), 3)} "
                f"| {_f(cpu('portal'), 3)} | {_f(cpu('foreign'), 3)} | {_f(cpu('machine'), 3)} "
                f"| {_f(wall, 3)} | {_f(left, 1)} | {_f(limit, 2) if limit else ''} |"
            )
    out += [
        "",
        f"With {cores} cores, N workers can at best divide the wall time by min(N, cores left × wall / CPU) "
        "(from the 1-worker run): when one row already costs about as much CPU as its wall time on the cores "
        "there are, more workers only queue for the CPU.",
        "",
        "Most of a row's CPU is the browser's: Playwright evaluates each locator (roles and accessible names) "
        "in the page, checks actionability, and takes a DOM snapshot per action for the row's trace; the "
        "renderer lays out and paints every change, and the GPU process composites in software. Only more "
        "cores raise this limit.",
        "",
        "Nothing else holds the workers back: they share no page, and the runner (robot/engine/runner.py "
        "`Runner._submit_slot`) serialises only the politeness spacing between two 【提交】 "
        "(`min_submit_interval_s`, 0 in these runs); each worker searches, fills and submits on its own, "
        "and the first worker starts on the rows while the others are still logging in.",
    ]
    return out


def _method(results: dict[str, Any]) -> list[str]:
    s = results["settings"]
    return [
        "",
        "## What is measured",
        "",
        "- Every run starts its own mock portal (`python -m mock_portal --port 0 --test-api --certs "
        f"{s['certs']} --receipt-delay 86400`), builds the workbook with `tests/support/workbooks.plain_sample` "
        "(approved certificates of exporter1, one valid number each), and works all rows; the test API "
        "confirms the submissions afterwards (column *confirmed*).",
        "- Latency `300 ms ± 50` is the mock's `--latency-ms 250 --jitter-ms 100` (250 + uniform 0–100 ms on "
        "every page and XHR; static files and the test API are exempt).",
        "- **Floor** (`bench/floor.py`): httpx, log in once per session (login page, captcha answer from the "
        "test API, login form, one page load for the session's CSRF token), then per row exactly the UI's "
        "search XHR and submit XHR with the `X-CSRF-Token` header. N workers = N concurrent request streams on the "
        "one logged-in session (the robot's workers likewise share the first worker's cookies).",
        '- **Robot** (`bench/robot_once.py`): `run_job` in its own process with `captcha_solver="test-api"`, a '
        "fresh journal, `workers` as given, everything else at its defaults (tracing of each row for evidence "
        "included) except the politeness pause between submissions, `min_submit_interval_s = "
        f"{s.get('submit_interval', 'default')}` (the floor has none; the robot at its default pause is in "
        "its own section when measured). **Excluded:** the wait for customs receipts "
        "(`receipt_deadline_s = 0`; no receipt arrives during the run) and Python's start-up (the clock "
        "starts when `run_job` is called).",
        "- The rows-done clock of the robot comes from its journal (rows in state `submitted`), read every "
        "0.25 s by the sampler (so robot times are up to 0.25 s late); the floor stamps each answer itself.",
        "- Floor and robot runs alternate (floor 1w, robot 1w, floor 2w, …) so that drift of the machine "
        "affects both alike.",
        "- The 1,000-row memory run is at 0 ms latency with 1 worker, once; samples every 0.5 s.",
        f"- This machine is shared: other engineers' tests may run meanwhile. The *foreign* CPU column and "
        f"the load average recorded per run (raw JSON) show how much; load average during the runs: "
        f"{_loads(results)}.",
    ]


def _loads(results: dict[str, Any]) -> str:
    loads = [r.get("loadavg") for r in results["runs"] if r.get("loadavg") is not None]
    if not loads:
        return "not recorded"
    return f"median {statistics.median(loads):.1f}, max {max(loads):.1f}"


def _charts(summary: Summary, results: dict[str, Any], img: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    names: list[str] = []
    fig, axes = plt.subplots(1, len(summary.latencies) or 1, figsize=(11, 4.2), squeeze=False)
    for ax, latency in zip(axes[0], summary.latencies, strict=False):
        workers = summary.workers
        xs = range(len(workers))
        floor = [summary.rate("floor", latency, n) or 0 for n in workers]
        robot = [summary.rate("robot", latency, n) or 0 for n in workers]
        ax.bar([x - 0.2 for x in xs], floor, width=0.4, label="floor (HTTP client)", color="#8da0cb")
        ax.bar([x + 0.2 for x in xs], robot, width=0.4, label="robot (browser)", color="#fc8d62")
        for x, f, r in zip(xs, floor, robot, strict=False):
            ax.annotate(f"{f:.0f}", (x - 0.2, f), ha="center", va="bottom", fontsize=8)
            ax.annotate(
                f"{r:.1f}\n({r / f * 100:.0f} %)" if f else f"{r:.1f}",
                (x + 0.2, r),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xticks(list(xs), [f"{n} worker{'s' if n > 1 else ''}" for n in workers])
        ax.set_ylabel("rows per minute (log scale)")
        ax.set_title(f"latency {latency}")
        ax.legend(loc="upper left", fontsize=8)
    fig.suptitle("Rows per minute: robot vs the portal's floor (median of runs; robot as % of floor)")
    fig.tight_layout()
    name = "bench-throughput.png"
    fig.savefig(img / name, dpi=110)
    plt.close(fig)
    names.append(name)
    memory = results.get("memory")
    if memory and memory.get("curve"):
        fig, ax = plt.subplots(figsize=(11, 4))
        done = next((p for p in memory["curve"] if p[1] >= memory["ok"]), None)
        curve = [p for p in memory["curve"] if p[1] > 0 and (done is None or p[0] <= done[0])]
        ax.plot([p[1] for p in curve], [p[2] for p in curve], label="browser processes (sum RSS)", color="#e78ac3")
        ax.plot([p[1] for p in curve], [p[3] for p in curve], label="robot process (RSS)", color="#66c2a5")
        at50 = _browser_at(memory)[0] or memory["browser_at50_mib"]
        ax.axhline(at50 * (1 + TARGET_GROWTH), color="grey", ls="--", lw=0.8, label="row-50 browser memory + 10 %")
        ax.axvline(50, color="grey", ls=":", lw=0.8)
        ax.set_xlabel("rows submitted")
        ax.set_ylabel("MiB")
        ax.set_ylim(bottom=0)
        ax.set_title(f"Memory over one {memory['rows']:,}-row run ({memory['latency']} latency, 1 worker)")
        ax.legend(fontsize=8)
        fig.tight_layout()
        name = "bench-memory.png"
        fig.savefig(img / name, dpi=110)
        plt.close(fig)
        names.append(name)
    return names
