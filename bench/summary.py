"""Medians of the benchmark's raw runs, by (kind, latency, workers), and the number formats of the page.

Kinds: `floor` (the honest floor: every request the page needs for a row), `floor_bare` (without the
dialog's page), `browser_min` (a browser doing only the clicks of a row), `robot` (the robot at its
defaults), `robot_per_row` (searching row by row).
"""

from __future__ import annotations

import statistics
from typing import Any

SLOW = "300 ms ± 50"
ZERO = "0 ms"


def median(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:,.0f}"


def num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def mark(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**not met**")


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

    @property
    def kinds(self) -> list[str]:
        order = ("floor_bare", "floor", "browser_min", "robot_per_row", "robot")
        present = {k[0] for k in self.groups}
        return [k for k in order if k in present] + sorted(present - set(order))

    def has(self, kind: str) -> bool:
        return any(k[0] == kind for k in self.groups)

    def runs(self, kind: str, latency: str, workers: int) -> list[dict[str, Any]]:
        return self.groups.get((kind, latency, workers), [])

    def per_row(self, kind: str, latency: str, workers: int) -> float | None:
        """Wall time per row, start-up included (median over runs)."""
        return median([r["wall_s"] / max(1, r["ok"]) for r in self.runs(kind, latency, workers)])

    def steady(self, kind: str, latency: str, workers: int) -> float | None:
        """Time between the first and the last row done / (rows − 1) (median over runs)."""
        return self.value(kind, latency, workers, "steady_s")

    def value(self, kind: str, latency: str, workers: int, key: str) -> float | None:
        return median([r.get(key) for r in self.runs(kind, latency, workers)])

    def rate(self, kind: str, latency: str, workers: int) -> float | None:
        per_row = self.per_row(kind, latency, workers)
        return 60 / per_row if per_row else None

    def ratio(self, kind: str, floor: str, latency: str, workers: int, steady: bool = False) -> float | None:
        """`kind` / `floor` per row at the same latency and workers (steady state or wall time)."""
        of = self.steady if steady else self.per_row
        a, b = of(kind, latency, workers), of(floor, latency, workers)
        return a / b if a and b else None

    def scaling(self, kind: str, latency: str, workers: int) -> float | None:
        one, top = self.rate(kind, latency, 1), self.rate(kind, latency, workers)
        return top / one if one and top else None

    def cpu_per_row(self, kind: str, latency: str, workers: int, group: str = "browser") -> float | None:
        return median(
            [r["cpu_s"].get(group, 0.0) / max(1, r["ok"]) for r in self.runs(kind, latency, workers) if r.get("cpu_s")]
        )

    def cpu_steady(self, kind: str, latency: str, workers: int) -> float | None:
        """Browser CPU-seconds per row between the first and the last row done (start-up left out)."""
        return self.value(kind, latency, workers, "browser_cpu_steady_s")

    def per_row_robot(self) -> str:
        """The kind that searched row by row: robot_per_row, or the robot itself when it has no other mode."""
        return "robot_per_row" if self.has("robot_per_row") else "robot"

    def listwise(self) -> bool:
        """Whether the robot's default worked rows down the list (it was measured beside per-row)."""
        return self.has("robot_per_row") and any(r.get("search_mode") == "list" for r in self.results["runs"])
