"""Shared by every test directory: the order in which pytest-xdist hands test files to its workers.

`make test` runs `--dist loadfile --no-loadscope-reorder`: a file is a unit of work and the units go out
in collection order. Longest first (tests/support/file_costs.py), so that no long file starts last and
runs alone on one core while the other idles. Within a file the order pytest chose is kept.
"""

from __future__ import annotations

import pytest

from tests.support.file_costs import cost_of


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: (-cost_of(item.path.name), str(item.path)))
