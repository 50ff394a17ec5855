"""TEMP stub until store lands."""

from sqlalchemy import Engine

from robot.store import queue_schema  # noqa: F401
from robot.store.schema import metadata


def upgrade(engine: Engine) -> None:
    metadata.create_all(engine)
