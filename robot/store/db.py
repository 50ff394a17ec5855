"""TEMP stub until store lands."""

from pathlib import Path

import sqlalchemy


def engine_for(url: str | None, state_dir: Path) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(url or f"sqlite:///{state_dir}/corobot.sqlite3")
