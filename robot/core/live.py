"""The live board of the run in progress: rows in total, done per 处理结果, the rows being worked now.

The runner writes to it as rows start and end; whoever shows progress (the web console) reads a
snapshot. Process-wide and thread-safe; writing costs a lock and a few dict operations, so it is always on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LiveSnapshot:
    total: int
    counts: dict[str, int]
    current: list[str]
    """The rows being worked now, as "第N行 证明号"."""
    started: float | None
    """time.monotonic() when the rows started; None before the first run."""
    ended: float | None = None

    @property
    def done(self) -> int:
        return sum(self.counts.values())


@dataclass
class LiveBoard:
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _total: int = 0
    _counts: dict[str, int] = field(default_factory=dict)
    _current: dict[int, str] = field(default_factory=dict)
    _started: float | None = None
    _ended: float | None = None

    def begin(self, total: int) -> None:
        with self._lock:
            self._total, self._counts, self._current = total, {}, {}
            self._started, self._ended = time.monotonic(), None

    def working(self, row: int, cert_no: str) -> None:
        with self._lock:
            self._current[row] = f"第{row}行 {cert_no}"

    def finished(self, row: int, result: str) -> None:
        with self._lock:
            self._current.pop(row, None)
            self._counts[result] = self._counts.get(result, 0) + 1

    def end(self) -> None:
        with self._lock:
            self._current = {}
            self._ended = time.monotonic()

    def snapshot(self) -> LiveSnapshot:
        with self._lock:
            return LiveSnapshot(
                self._total, dict(self._counts), list(self._current.values()), self._started, self._ended
            )


LIVE = LiveBoard()
