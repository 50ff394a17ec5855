"""Robot settings for tests that run the robot in process: a work folder of the test's own, the demo
user's password, and short receipt waits and back-offs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from robot.core.config import Settings
from robot.core.secrets import Secret
from tests.support.workbooks import USER


def settings_for(url: str, workdir: Path, **changes: object) -> Settings:
    base = replace(
        Settings(),
        portal_url=url,
        username=USER,
        password=Secret("Corobot#2026"),
        state_dir=workdir / "state",
        out_dir=workdir / "out",
        receipt_deadline_s=120,
        receipt_poll_s=1,
        backoff_s=0.2,
        min_submit_interval_s=0.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]
