"""Sections of the benchmark page that report other measurements: memory, the data layer, and the
results of the other benchmarks kept in bench/results/ (harvest, soak, the layui front end of issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.summary import Summary, median, num

TARGET_GROWTH = 0.10
TARGET_READ_S = 3.0
TARGET_REPORT_S = 5.0


def growth_of(memory: dict[str, Any]) -> float | None:
    start, end = browser_at(memory)
    return (end - start) / start if start and end else None


def browser_at(run: dict[str, Any], window: int = 5) -> tuple[float | None, float | None]:
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


def memory_section(summary: Summary, results: dict[str, Any]) -> list[str]:
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
            if not summary.runs("robot", latency, n):
                continue
            points = [browser_at(r) for r in summary.runs("robot", latency, n)]
            at50 = median([p[0] for p in points])
            last = median([p[1] for p in points])
            growth = f"{(last - at50) / at50 * 100:+.1f} %" if at50 and last else "–"
            out.append(
                f"| {latency} | {n} | {num(summary.value('robot', latency, n, 'robot_peak_mib'), 0)} "
                f"| {num(summary.value('robot', latency, n, 'driver_peak_mib'), 0)} "
                f"| {num(summary.value('robot', latency, n, 'browser_peak_mib'), 0)} "
                f"| {num(at50, 0)} | {num(last, 0)} | {growth} |"
            )
    memory = results.get("memory")
    out += ["", "### Browser memory over a long run", ""]
    if not memory:
        return [*out, "Not measured in this run (`--memory-rows 0`)."]
    growth = growth_of(memory)
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
        f"ms/row). Browser memory at row 50: {browser_at(memory)[0] or 0:,.0f} MiB, at row {memory['ok']:,}: "
        f"{browser_at(memory)[1] or 0:,.0f} MiB "
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


def harvest_section() -> list[str]:
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


def frontend_section() -> list[str]:
    """Robot vs floor on the layui front end (issue 11), from bench/results/frontend.md."""
    out = [
        "",
        "## Earlier: on the front end built from the real libraries (issue 11)",
        "",
        "(Kept as it was written then, before the honest floor of issue 20; the numbers above replace it.)",
        "",
    ]
    if not FRONTEND_RESULTS.exists():
        return [*out, "Not measured yet."]
    return [*out, FRONTEND_RESULTS.read_text(encoding="utf-8").strip()]


def soak_section() -> list[str]:
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


def _cpu_note(data: dict[str, Any]) -> str:
    if data.get("read_cpu_median_s") is None:
        return ""
    return (
        f" CPU time of the process (what the steps cost while other programs take the cores): read "
        f"{data['read_cpu_median_s']:.2f} s, report {data['report_cpu_median_s']:.2f} s (medians)."
    )


def data_cpu(data: dict[str, Any], step: str) -> str:
    """ ", CPU 0.80 s" for the targets table, when the CPU time was measured."""
    value = data.get(f"{step}_cpu_median_s")
    return "" if value is None else f" (CPU {value:.2f} s)"


def data_section(results: dict[str, Any]) -> list[str]:
    data = results.get("data_layer")
    out = ["", "## Data layer", ""]
    if not data:
        return [*out, "Not measured in this run."]
    out += [
        f"`read_input` (read + validate, the streaming reader robot/books/xlsx_stream.py) and `write_report` "
        f"of a {data['rows']:,}-row workbook (two numbers per row; `bench.data_layer.measure`), "
        f"{len(data['read_s'])} runs: read {', '.join(f'{v:.2f}' for v in data['read_s'])} s (median "
        f"**{data['read_median_s']:.2f} s**, target ≤ {TARGET_READ_S:.0f} s); report "
        f"{', '.join(f'{v:.2f}' for v in data['report_s'])} s (median **{data['report_median_s']:.2f} s**, target "
        f"≤ {TARGET_REPORT_S:.0f} s)." + _cpu_note(data),
        "",
        "Profile (cProfile, one more run, both steps; cumulative seconds):",
        "",
        "| cumulative s | own s | calls | function |",
        "|---|---|---|---|",
    ]
    for cumulative, own, calls, where in data["profile"]:
        out.append(f"| {cumulative} | {own} | {calls} | `{where}` |")
    return out
