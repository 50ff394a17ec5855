"""The lease fence of a shared-queue host: the journal a claimed batch runs with, which asks the queue
whether this host still holds a row right before its intent is journaled (just before 【提交】).

A host whose leases lapsed (the PC slept, the network or the database was away longer than
`queue_lease_s`) may find its rows taken over by another host. Without the fence it would carry on with
the batch in hand and both hosts could press 【提交】 for the same certificate. With it, a row this host no
longer holds, or whose hold cannot be confirmed because the database does not answer, is not sent: the
row fails as a system error here (未处理 / 待重试, never recorded by this host) and the host that holds it
works it, reading the portal back first as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loguru import logger

from robot.core.errors import PortalSystemError
from robot.core.model import Task

LOST = "本行已由其他主机接手（本机的租约已过期或共享数据库无法确认），本机未提交"


DB_LOST = "共享数据库无法连接，本行的记录无法读写（稍后再试）"


class JournalUnavailable(PortalSystemError):
    """The shared journal did not answer (the database restarted or is away): a system error of the row
    in hand, tried again and at worst left 待重试, never a reason for the host to end."""


class FencedJournal:
    """A journal (or a scope of one) whose `record_intent` first asks `holds(task)`; everything else is
    the journal's own, with a lost connection (`errors`) raised as `JournalUnavailable`."""

    def __init__(self, journal: Any, holds: Callable[[Task], bool], errors: tuple[type[BaseException], ...]) -> None:
        self._journal = journal
        self._holds = holds
        self._errors = errors

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._journal, name)
        if not callable(found):
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return found(*args, **kwargs)
            except self._errors as error:
                logger.warning("共享数据库无法连接（{}）：{}", name, type(error).__name__)
                raise JournalUnavailable(DB_LOST) from error

        return call

    def __enter__(self) -> FencedJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self._journal.__exit__(*exc)

    def scoped(self, scope: Any) -> FencedJournal:
        return FencedJournal(self._journal.scoped(scope), self._holds, self._errors)

    def record_intent(self, run_id: int, task: Task) -> None:
        try:
            held, why = self._holds(task), ""
        except self._errors as error:
            held, why = False, f"（数据库：{type(error).__name__}）"
        if not held:
            logger.warning("第{}行 {}：{}{}", task.row, task.cert_no, LOST, why)
            raise PortalSystemError(LOST)
        try:
            self._journal.record_intent(run_id, task)
        except self._errors as error:
            raise JournalUnavailable(DB_LOST) from error
