"""TEMP stub until store lands: pg_url on a hand-started server (port 55432)."""

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = "t_" + secrets.token_hex(4)
    admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(sa.text(f"CREATE DATABASE {name}"))
    yield f"postgresql+psycopg://postgres@127.0.0.1:55432/{name}"
    with admin.connect() as db:
        db.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()
