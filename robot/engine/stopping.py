"""Clean stops: SIGTERM, Ctrl-C (SIGINT) and Ctrl-Break turn into one process-wide stop request.

The running parts listen for it (the runner stops taking rows, gives rows in flight
`stop_grace_s`, then closes the browser; `corobot watch` stops between files and while it waits).
A second signal while stopping only says so: the robot is already on its way out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

from loguru import logger

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGBREAK") if hasattr(signal, name))


class StopRequest:
    """A stop flag that threads and event loops can wait on or subscribe to."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self.reason = ""

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def request(self, reason: str) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self.reason = reason
            self._event.set()
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def wait(self, timeout: float | None) -> bool:
        """Waits up to `timeout` seconds; True when a stop was requested."""
        return self._event.wait(timeout)

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Calls `listener` on a stop (at once if one is already requested); returns the unsubscriber."""
        with self._lock:
            self._listeners.append(listener)
            already = self._event.is_set()
        if already:
            listener()
        return lambda: self._unsubscribe(listener)

    def _unsubscribe(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def clear(self) -> None:
        """Forgets an earlier stop (tests running several jobs in one process)."""
        self._event.clear()
        self.reason = ""


STOP = StopRequest()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    if STOP.requested:
        logger.warning("收到 {}：已在停止中", name)
        return
    logger.warning("收到 {}：停止中（进行中的行最多再等几秒，日志和结果文件会写完）", name)
    STOP.request(f"收到 {name}")


def install_stop_handlers() -> None:
    """Routes SIGTERM, Ctrl-C and Ctrl-Break to STOP (main thread only; elsewhere it does nothing)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in STOP_SIGNALS:
        signal.signal(sig, _on_signal)
