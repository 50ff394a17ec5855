"""One robot per state folder: an exclusive, non-blocking OS file lock on `<state_dir>/corobot.lock`.

The operating system releases the lock when the process ends, however it ends (SIGKILL, power cut),
so a stale lock file never blocks the next start. The file holds the owner's pid and start time,
shown to a second instance that is refused.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

LOCK_NAME = "corobot.lock"


class AlreadyRunning(Exception):
    """Another corobot holds the lock of this state folder (exit code 4)."""


class InstanceLock:
    """`with InstanceLock(state_dir):` — raises AlreadyRunning at once when another process holds it."""

    def __init__(self, state_dir: Path) -> None:
        self.path = Path(state_dir) / LOCK_NAME
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            owner = handle.read().strip() or "未知进程"
            handle.close()
            message = f"另一个 corobot 正在使用状态目录 {self.path.parent}（{owner}），本次未做任何事"
            raise AlreadyRunning(message) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}，启动于 {datetime.now():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            _unlock(self._file)
            self._file.close()
            self._file = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
