"""One robot per state folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from robot.core.exit_codes import ExitCode
from robot.engine.lock import LOCK_NAME, AlreadyRunning, InstanceLock


def test_second_holder_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    with InstanceLock(tmp_path):
        with pytest.raises(AlreadyRunning, match="另一个 corobot"):
            InstanceLock(tmp_path).acquire()
    with InstanceLock(tmp_path):
        pass


def test_a_lock_file_left_by_a_dead_process_does_not_block(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("pid 1，启动于 2020-01-01 00:00:00", encoding="utf-8")
    with InstanceLock(tmp_path):
        assert f"pid {os.getpid()}" in (tmp_path / LOCK_NAME).read_text(encoding="utf-8")


def test_a_second_corobot_process_exits_with_code_4_naming_the_holder(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CO_STATE_DIR": str(tmp_path / "state"),
        "CO_INBOX_DIR": str(tmp_path / "inbox"),
        "CO_PORTAL_URL": "http://127.0.0.1:9",
        "CO_USERNAME": "exporter1",
        "CO_PASSWORD": "x",
    }
    with InstanceLock(tmp_path / "state"):
        done = subprocess.run(
            [sys.executable, "-m", "robot", "watch", "--once"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == ExitCode.ANOTHER_INSTANCE == 4
    assert "另一个 corobot" in done.stderr and f"pid {os.getpid()}" in done.stderr
