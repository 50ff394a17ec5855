"""The lease fence's journal (robot.ops.host_fence) when the shared database is away: every journal call
that fails for the connection is a system error of the row in hand (`JournalUnavailable`), which the run
retries and at worst leaves 待重试 — never an exception that ends the host. No database needed: the
connection error is raised by a stand-in journal."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from robot.core.errors import PortalSystemError
from robot.core.model import Authority, Task
from robot.ops.db_link import LINK_ERRORS
from robot.ops.host_fence import FencedJournal, JournalUnavailable

TASK = Task(row=2, authority=Authority.CUSTOMS, cert_no="E1", exported=False, declaration_nos=("1",))


class Away:
    """A journal whose database does not answer."""

    run_id = 7

    def _gone(self, *_: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    get = record_intent = record_submitted = record_failed = _gone

    def scoped(self, _scope: object) -> Away:
        return self


@pytest.mark.parametrize("call", ["get", "record_submitted", "record_failed"])
def test_a_lost_connection_is_a_system_error_of_the_row(call: str) -> None:
    fenced = FencedJournal(Away(), lambda task: True, LINK_ERRORS).scoped("s")
    with pytest.raises(JournalUnavailable) as raised:
        getattr(fenced, call)(TASK.key)
    assert isinstance(raised.value, PortalSystemError)
    assert "共享数据库无法连接" in str(raised.value)


def test_an_intent_that_cannot_be_written_is_not_sent() -> None:
    with pytest.raises(JournalUnavailable):
        FencedJournal(Away(), lambda task: True, LINK_ERRORS).record_intent(1, TASK)


def test_plain_attributes_pass_through() -> None:
    assert FencedJournal(Away(), lambda task: True, LINK_ERRORS).run_id == 7
