"""Watch schedules: --every durations and --cron lines."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from robot.ops.schedule import make_trigger, next_fire, parse_every


def test_every_accepts_combined_units() -> None:
    assert parse_every("1h30m") == timedelta(minutes=90)


def test_every_rejects_words() -> None:
    with pytest.raises(ValueError, match="30m"):
        parse_every("half an hour")


def test_cron_every_two_hours_fires_on_even_hours() -> None:
    now = datetime(2026, 3, 2, 9, 15).astimezone()
    fire = next_fire(make_trigger(None, "0 */2 * * *"), None, now)
    assert fire is not None and (fire.hour, fire.minute) == (10, 0)
