"""Secrets stay out of the log: a traceback logged with `logger.exception` never shows its variables'
values (loguru's `diagnose`), and database addresses are logged with their password masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from loguru import logger

from robot.core.config import redact_url
from robot.core.logs import setup_logging

PASSWORD = "S3cret-PW-9431"


def _fails(url: str) -> None:
    password = PASSWORD  # noqa: F841 - a local a diagnosing traceback would print
    raise ConnectionError("connection refused")


def test_a_logged_traceback_shows_no_variable_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "run.log"
    setup_logging(log, verbose=True)
    try:
        _fails(f"postgresql://robot:{PASSWORD}@db/corobot")
    except ConnectionError:
        logger.exception("the database did not answer")
    logger.complete()
    logger.remove()
    said = log.read_text(encoding="utf-8") + capsys.readouterr().err
    assert "the database did not answer" in said
    assert PASSWORD not in said


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql://robot:{PASSWORD}@db:5432/corobot", "postgresql://robot:***@db:5432/corobot"),
        (f"postgresql://robot@db/corobot?password={PASSWORD}&sslmode=require", "?password=***&sslmode=require"),
        (f"postgresql://db/corobot?sslmode=require&PASSWORD={PASSWORD}", "&PASSWORD=***"),
        ("sqlite:///data/state/journal.sqlite3", "sqlite:///data/state/journal.sqlite3"),
    ],
)
def test_database_addresses_are_logged_without_their_password(url: str, shown: str) -> None:
    assert PASSWORD not in redact_url(url)
    assert shown in redact_url(url)
