"""A host's link to the shared database: whether it answers, and calls retried with back-off.

A call that fails for the connection (`sqlalchemy.exc.OperationalError`/`InterfaceError`, the server
restarted or unreachable) marks the link lost: the host stops claiming rows, the loss is logged and
notified once, and `retrying` calls are tried again after 1, 2, 4 … up to `MAX_PAUSE_S` seconds until the
database answers again (logged as well) or the robot is stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from loguru import logger
from sqlalchemy.exc import InterfaceError, OperationalError

from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.engine.stopping import STOP
from robot.ops.notice import RunNotice
from robot.ops.notify import notify

T = TypeVar("T")
LINK_ERRORS = (OperationalError, InterfaceError)
FIRST_PAUSE_S = 1.0
MAX_PAUSE_S = 30.0
LOST = "共享数据库无法连接：暂停领取新的行，手上的行做完后再记录，连接恢复后继续"


class DatabaseGone(Exception):
    """The database did not answer before the robot was stopped."""


class DbLink:
    def __init__(self, settings: Settings, host: str) -> None:
        self.settings = settings
        self.host = host
        self.lost = False

    def call(self, action: Callable[[], T]) -> T:
        """`action()` once; a connection failure marks the link lost and is raised again."""
        try:
            result = action()
        except LINK_ERRORS as error:
            self.down(error)
            raise
        self.up()
        return result

    def retrying(self, action: Callable[[], T]) -> T:
        """`action()` until the database answers (back-off between tries); DatabaseGone after a stop."""
        pause = FIRST_PAUSE_S
        while True:
            try:
                return self.call(action)
            except LINK_ERRORS:
                if STOP.wait(pause):
                    raise DatabaseGone(LOST) from None
                pause = min(MAX_PAUSE_S, pause * 2)

    def down(self, error: Exception) -> None:
        logger.debug("database call failed: {}", str(error).splitlines()[0] if str(error) else type(error).__name__)
        if self.lost:
            return
        self.lost = True
        logger.error("{}（主机 {}）", LOST, self.host)
        notify(
            self.settings, RunNotice("共享队列", int(ExitCode.PORTAL_UNAVAILABLE), {}, None, note=LOST, host=self.host)
        )

    def up(self) -> None:
        if self.lost:
            self.lost = False
            logger.warning("共享数据库已恢复连接（主机 {}），继续领取", self.host)
