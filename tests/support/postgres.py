"""The suite's PostgreSQL (the server itself is bench/postgres.py, which the host benchmark uses too).

`pg_server` (session) starts it on first use and always stops it at the end of the session; `pg_url`
(function) gives each test a fresh empty database on it, dropped afterwards. Tests that need it are
marked `postgres`; on a machine without the binaries they are skipped (scripts/setup.sh installs
Debian's `postgresql` when run as root, as .ci/run does).
"""

from __future__ import annotations

import atexit
from collections.abc import Iterator

import pytest

from bench.postgres import PgServer, bin_dir

__all__ = ["PgServer", "pg_server", "pg_url", "store_url"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The suite's PostgreSQL (started on first use, stopped at the end of the session)."""
    bindir = bin_dir()
    if bindir is None:
        pytest.skip("PostgreSQL 未安装（以 root 运行 scripts/setup.sh 会安装 Debian 的 postgresql）")
    server = PgServer(bindir)
    atexit.register(server.remove)  # even when the session is interrupted
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh empty database of the suite's PostgreSQL, dropped after the test."""
    url = pg_server.create_database()
    try:
        yield url
    finally:
        pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str | None:
    """Each back end of the store in turn: None (the state folder's SQLite file), then a fresh PostgreSQL
    database."""
    return None if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
