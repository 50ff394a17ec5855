"""TEMP stub until store lands: pg_server / pg_url on a hand-started server (port 55432)."""

import secrets
import subprocess
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

BASE = "postgresql://postgres@127.0.0.1:55432"


class PgServer:
    url = f"{BASE}/postgres"

    def restart(self) -> None:
        subprocess.run(
            [
                "su",
                "postgres",
                "-s",
                "/bin/sh",
                "-c",
                "pg_ctl -D /tmp/queue-pg/data -m fast -w restart -l /tmp/queue-pg/log",
            ],
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    return PgServer()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    name = "t_" + secrets.token_hex(4)
    admin = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:55432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(sa.text(f"CREATE DATABASE {name}"))
    yield f"{BASE}/{name}"
    with admin.connect() as db:
        db.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()
