"""One robot per state folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.engine.lock import AlreadyRunning, InstanceLock


def test_second_holder_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    with InstanceLock(tmp_path):
        with pytest.raises(AlreadyRunning, match="另一个 corobot"):
            InstanceLock(tmp_path).acquire()
    with InstanceLock(tmp_path):
        pass
