"""TEMP stub until store lands."""

from pathlib import Path

import sqlalchemy
from sqlalchemy.engine import make_url


def engine_for(url: str | None, state_dir: Path) -> sqlalchemy.Engine:
    if not url:
        return sqlalchemy.create_engine(f"sqlite:///{state_dir}/corobot.sqlite3")
    return sqlalchemy.create_engine(make_url(url).set(drivername="postgresql+psycopg"), pool_pre_ping=True)
