"""How long each test file takes (seconds, one front end, measured one file at a time on the loaded 2-core
machine: docs/test-times.md), for tests/conftest.py to hand out the longest files first. A file not
listed counts as DEFAULT_S; a new file that starts robot runs of its own belongs in the table."""

from __future__ import annotations

DEFAULT_S = 30.0
COSTS: dict[str, float] = {}
INDEPENDENT = {"test_variants.py"}
"""Files whose tests share no fixture above function scope: xdist may give each test to another worker."""


def cost_of(file_name: str) -> float:
    return COSTS.get(file_name, DEFAULT_S)
