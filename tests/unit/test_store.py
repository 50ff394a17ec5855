"""The store (robot.store): one schema on both back ends, migrated by Alembic to the newest revision."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from robot.core.config import load_settings
from robot.engine.journal import Journal
from robot.store import open_engine
from robot.store.db import DB_NAME, engine_for
from robot.store.migrate import current, head, upgrade
from robot.store.schema import metadata
from tests.support.postgres import PgServer


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


def test_journal_url_is_a_setting_and_its_password_is_masked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings().journal_url == ""
    monkeypatch.setenv("CO_JOURNAL_URL", "postgresql://robot:geheim@db.example:5432/corobot")
    settings = load_settings()
    assert settings.journal_url == "postgresql://robot:geheim@db.example:5432/corobot"
    assert "geheim" not in str(settings.redacted()) and "db.example" in settings.redacted()["journal_url"]


def test_an_unknown_kind_of_address_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="journal_url"):
        engine_for("mysql://db.example/corobot", tmp_path)


@pytest.mark.postgres
def test_a_postgres_engine_carries_on_after_the_server_restarts(
    pg_server: PgServer, pg_url: str, tmp_path: Path
) -> None:
    with Journal(pg_url) as journal:
        run = journal.start_run(tmp_path / "in.xlsx", "ab", dry_run=False)
        pg_server.restart()  # every open connection breaks
        journal.finish_run(run, {"成功": 1}, None, 0)
        assert journal.runs()[0].exit_code == 0


def test_the_short_postgres_form_is_taken(tmp_path: Path) -> None:
    engine = engine_for("postgres://robot:secret@127.0.0.1:1/corobot", tmp_path)
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


def test_an_earlier_journal_file_becomes_the_owners_only(tmp_path: Path) -> None:
    """The console's password hashes move into journal.sqlite3: a file of an earlier version (0644) is
    made 0600 when opened."""
    path = tmp_path / DB_NAME
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine_for(None, tmp_path).dispose()
    assert path.stat().st_mode & 0o777 == 0o600
