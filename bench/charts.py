"""The benchmark page's charts (docs/img/bench-*.png), drawn with matplotlib from the raw results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.page_sections import TARGET_GROWTH, browser_at
from bench.summary import Summary


def draw(summary: Summary, results: dict[str, Any], img: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    names: list[str] = []
    colors = {"floor_bare": "#b3b3b3", "floor": "#8da0cb", "robot_per_row": "#e5c494", "robot": "#fc8d62"}
    labels = {
        "floor_bare": "floor without the dialog's page",
        "floor": "floor (every request the page needs)",
        "robot_per_row": "robot, one search per row",
        "robot": "robot (default)",
    }
    groups = [(lat, n) for lat in summary.latencies for n in summary.workers if summary.runs("robot", lat, n)]
    kinds = [k for k in summary.kinds if k in colors]
    fig, ax = plt.subplots(figsize=(11, 4.2))
    width = 0.8 / max(1, len(kinds))
    for i, kind in enumerate(kinds):
        rates = [summary.rate(kind, lat, n) or 0 for lat, n in groups]
        xs = [g + (i - (len(kinds) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(xs, rates, width=width, label=labels[kind], color=colors[kind])
        for x, r in zip(xs, rates, strict=True):
            if r:
                ax.annotate(f"{r:.0f}", (x, r), ha="center", va="bottom", fontsize=7)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xticks(list(range(len(groups))), [f"{lat}, {n} worker{'s' if n > 1 else ''}" for lat, n in groups])
    ax.set_ylabel("rows per minute (log scale)")
    ax.legend(loc="upper right", fontsize=8)
    fig.suptitle("Rows per minute, start-up included: the robot against the floors (median of runs)")
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
        at50 = browser_at(memory)[0] or memory["browser_at50_mib"]
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
