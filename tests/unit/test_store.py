"""The store (robot.store): one schema on both back ends, migrated by Alembic to the newest revision."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from robot.store import open_engine
from robot.store.db import DB_NAME
from robot.store.migrate import current, head, upgrade
from robot.store.schema import metadata


def test_a_new_store_has_every_table_at_the_newest_revision(store_url: str | None, tmp_path: Path) -> None:
    engine = open_engine(store_url, tmp_path)
    try:
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
        assert current(engine) == head()
        upgrade(engine)  # a second time changes nothing
        assert current(engine) == head()
    finally:
        engine.dispose()
    if store_url is None:
        assert (tmp_path / DB_NAME).exists()
