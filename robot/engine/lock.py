"""One robot per state folder: an exclusive, non-blocking OS file lock on `<state_dir>/corobot.lock`
(`filelock`: flock on Unix, msvcrt on Windows).

The operating system releases the lock when the process ends, however it ends (SIGKILL, power cut),
so a stale lock file never blocks the next start. The holder writes its pid and start time into the
file, shown to a second instance that is refused (exit code 4).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

LOCK_NAME = "corobot.lock"


class AlreadyRunning(Exception):
    """Another corobot holds the lock of this state folder (exit code 4)."""


class InstanceLock:
    """`with InstanceLock(state_dir):` — raises AlreadyRunning at once when another process holds it."""

    def __init__(self, state_dir: Path) -> None:
        self.path = Path(state_dir) / LOCK_NAME
        # The file is kept on release (its last owner is harmless: only a holder's line is ever shown).
        self._lock = FileLock(self.path, thread_local=False, preserve_lock_file=True, on_acquired=_sign)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            message = f"另一个 corobot 正在使用状态目录 {self.path.parent}（{self._owner()}），本次未做任何事"
            raise AlreadyRunning(message) from None

    def release(self) -> None:
        self._lock.release()

    def _owner(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() or "未知进程"
        except OSError:  # Windows keeps the holder's locked byte unreadable
            return "未知进程"

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _sign(fd: int) -> None:
    """Writes the holder's pid and start time into the lock file it has just locked."""
    line = f"pid {os.getpid()}，启动于 {datetime.now():%Y-%m-%d %H:%M:%S}".encode()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, line)
