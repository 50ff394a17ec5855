"""When `corobot watch` looks at its inbox: --every 30m (interval) or --cron "0 */2 * * *" (APScheduler 3
triggers, local time). Watch looks once at start, then at each fire time of the trigger."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

_PART = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_every(text: str) -> timedelta:
    """`30m`, `2h`, `1h30m`, `90s`, `1d` → timedelta; ValueError (in Chinese) otherwise."""
    compact = text.strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"间隔应写成 30m、2h、1h30m 之类，而不是“{text}”")
    span = timedelta(**{_UNITS[u]: 0 for u in _UNITS})
    for number, unit in parts:
        span += timedelta(**{_UNITS[unit]: int(number)})
    if span < timedelta(seconds=1):
        raise ValueError(f"间隔太短：“{text}”")
    return span


def make_trigger(every: str | None, cron: str | None, now: datetime | None = None) -> BaseTrigger:
    """An APScheduler trigger for --cron (a crontab line, local time) or --every (from now on)."""
    start = now or datetime.now().astimezone()
    if cron:
        try:
            return CronTrigger.from_crontab(cron)
        except ValueError as error:
            raise ValueError(f"cron 表达式无效：“{cron}”（{error}）") from error
    span = parse_every(every or "10m")
    return IntervalTrigger(seconds=int(span.total_seconds()), start_date=start + span)


def next_fire(trigger: BaseTrigger, previous: datetime | None, now: datetime | None = None) -> datetime | None:
    """The next time the trigger fires after `now`."""
    return trigger.get_next_fire_time(previous, now or datetime.now().astimezone())
