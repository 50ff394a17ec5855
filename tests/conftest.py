"""Shared by every test directory: the PostgreSQL fixtures (tests/support/postgres.py), and how pytest-xdist
shares test files out among its workers (`make test` runs `-n 2 --dist loadfile`).

- A unit of work is a file on one front end (tests/e2e/conftest.py parametrizes by front end at session
  scope, and every fixture that holds a portal depends on it, so the two halves share nothing): both
  halves of a long file run side by side on the two workers. The files of `INDEPENDENT` (each test has
  portals of its own) go out one test at a time.
- Units go out longest first (tests/support/scheduling.py) in collection order, not xdist's default
  order by number of tests, which sent the few-test long drills last to run alone on one core.
Within a unit the order pytest chose is kept.
"""

from __future__ import annotations

import pytest

from tests.support.postgres import pg_server, pg_url, store_url
from tests.support.scheduling import cost_of, work_unit

__all__ = ["pg_server", "pg_url", "store_url"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: (-cost_of(item.path.name), str(item.path)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ByFileAndFrontend(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # keep the longest-first order of the collection
    return ByFileAndFrontend(config, log)  # type: ignore[arg-type]
