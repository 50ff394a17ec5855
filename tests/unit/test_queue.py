"""The shared queue on a real PostgreSQL: two claimers never get the same row, an expired lease hands a
row over, a renewed one keeps it, a stop releases what a host holds, one host wins a workbook's report."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
import sqlalchemy as sa

from robot.core.config import Settings
from robot.core.errors import PortalSystemError
from robot.core.model import Authority, Result, RowOutcome, Task
from robot.ops.db_link import LINK_ERRORS, DbLink
from robot.ops.host_fence import FencedJournal
from robot.ops.host_view import hosts_report
from robot.store.queue import SharedQueue
from tests.support.postgres import PgServer
from tests.support.queue_db import queue_engine

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = queue_engine(pg_url)
    yield engine
    engine.dispose()


def book(queue: SharedQueue, rows: int, account: str = "a", sha: str = "s1") -> int:
    book_id, new = queue.enqueue("b.xlsx", sha, b"xlsx", [(r, account) for r in range(2, 2 + rows)])
    assert new
    return book_id


def done(claim_rows: tuple[int, ...]) -> dict[int, RowOutcome]:
    return {r: RowOutcome(r, Result.SUCCESS, "ok", "海关接收成功", datetime.now().astimezone()) for r in claim_rows}


def test_a_content_is_queued_once(engine: sa.Engine) -> None:
    queue = SharedQueue(engine, "h1")
    first = book(queue, 3)
    assert queue.enqueue("again.xlsx", "s1", b"xlsx", [(2, "a")]) == (first, False)


def test_two_claimers_never_get_the_same_row(engine: sa.Engine) -> None:
    book(SharedQueue(engine, "h0"), 200)
    taken: dict[str, list[int]] = {"h1": [], "h2": []}

    def claimer(name: str) -> None:
        queue = SharedQueue(engine, name)
        while (claim := queue.claim(["a"], 3)) is not None:
            taken[name].extend(claim.rows)
            queue.finish(claim, done(claim.rows))

    threads = [threading.Thread(target=claimer, args=(n,)) for n in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = taken["h1"] + taken["h2"]
    assert sorted(everything) == list(range(2, 202))
    assert taken["h1"] and taken["h2"]


def test_a_host_claims_only_its_accounts(engine: sa.Engine) -> None:
    queue = SharedQueue(engine, "h1")
    book(queue, 2, account="silk")
    assert queue.claim(["tea"], 10) is None
    claim = queue.claim(["tea", "silk"], 10)
    assert claim is not None and claim.account == "silk" and claim.rows == (2, 3)


def test_an_expired_lease_hands_the_row_over(engine: sa.Engine) -> None:
    one, two = SharedQueue(engine, "h1", lease_s=0.5), SharedQueue(engine, "h2", lease_s=0.5)
    book(one, 2)
    mine = one.claim(["a"], 10)
    assert mine is not None and two.claim(["a"], 10) is None
    time.sleep(0.8)
    theirs = two.claim(["a"], 10)
    assert theirs is not None and theirs.rows == mine.rows
    assert one.finish(mine, done(mine.rows)) == []  # taken over: the first host records nothing
    assert two.finish(theirs, done(theirs.rows)) == [2, 3]


def test_a_host_whose_lease_lapsed_sends_nothing_of_a_row_taken_over(engine: sa.Engine) -> None:
    """The fence before 【提交】: the host that slept through its lease finds the row gone and does not
    journal an intent (nor send); the host that took it over holds it."""
    one, two = SharedQueue(engine, "h1", lease_s=0.5), SharedQueue(engine, "h2", lease_s=0.5)
    book(one, 1)
    mine = one.claim(["a"], 10)
    assert mine is not None and one.hold(mine, mine.rows[0])
    time.sleep(0.8)
    theirs = two.claim(["a"], 10)
    assert theirs is not None
    assert not one.hold(mine, mine.rows[0]) and two.hold(theirs, theirs.rows[0])
    intents: list[int] = []

    class Plain:
        def record_intent(self, run_id: int, task: Task) -> None:
            intents.append(task.row)

        def scoped(self, scope: object) -> Plain:
            return self

    fenced = FencedJournal(Plain(), lambda task: one.hold(mine, task.row), LINK_ERRORS).scoped("s")
    task = Task(row=mine.rows[0], authority=Authority.CUSTOMS, cert_no="E1", exported=False, declaration_nos=("1",))
    with pytest.raises(PortalSystemError, match="其他主机接手"):
        fenced.record_intent(1, task)
    assert intents == []
    FencedJournal(Plain(), lambda task: two.hold(theirs, task.row), LINK_ERRORS).record_intent(1, task)
    assert intents == [mine.rows[0]]


def test_a_renewed_lease_keeps_the_row(engine: sa.Engine) -> None:
    one, two = SharedQueue(engine, "h1", lease_s=1.0), SharedQueue(engine, "h2", lease_s=1.0)
    book(one, 1)
    assert one.claim(["a"], 1) is not None
    for _ in range(3):
        time.sleep(0.5)
        assert one.heartbeat(["a"]) == 1
        assert two.claim(["a"], 1) is None
    assert [h.in_flight for h in one.hosts()] == [1]


def test_a_stop_releases_what_the_host_holds(engine: sa.Engine) -> None:
    one, two = SharedQueue(engine, "h1"), SharedQueue(engine, "h2")
    book(one, 4)
    assert one.claim(["a"], 4) is not None
    assert one.release_all() == 4
    claim = two.claim(["a"], 10)
    assert claim is not None and claim.rows == (2, 3, 4, 5)


def test_released_rows_wait_their_pause(engine: sa.Engine) -> None:
    queue = SharedQueue(engine, "h1")
    book(queue, 1)
    claim = queue.claim(["a"], 1)
    assert claim is not None
    queue.release(claim, after_s=60)
    assert queue.claim(["a"], 1) is None


def test_one_host_writes_the_report_when_the_last_row_is_final(engine: sa.Engine) -> None:
    one, two = SharedQueue(engine, "h1"), SharedQueue(engine, "h2")
    book_id = book(one, 2)
    first, second = one.claim(["a"], 1), two.claim(["a"], 1)
    assert first is not None and second is not None
    one.finish(first, done(first.rows))
    assert not one.complete(book_id)
    two.finish(second, done(second.rows))
    assert two.complete(book_id)
    assert not one.complete(book_id)
    assert set(one.outcomes(book_id)) == {2, 3}
    finished = one.book(book_id)
    assert finished is not None and finished.finished_by == "h2"


def test_corobot_hosts_lists_the_hosts_and_the_queue(engine: sa.Engine, pg_url: str) -> None:
    one = SharedQueue(engine, "pc-1")
    book(one, 2)
    one.heartbeat(["a"])
    assert one.claim(["a"], 1) is not None
    SharedQueue(engine, "pc-2").heartbeat(["a", "b"], stopped=True)
    lines = hosts_report(replace(Settings(), journal_url=pg_url))
    assert lines[0].startswith("pc-1  在线  账号 a  最后心跳 ") and lines[0].endswith("处理中 1 行")
    assert lines[1].startswith("pc-2  已退出  账号 a、b")
    assert "排队 1，处理中 1，完成 0" in lines[4]


def test_a_lost_database_stops_claims_until_it_answers_again(engine: sa.Engine, pg_server: PgServer) -> None:
    link = DbLink(Settings(), "pc-1")
    queue = SharedQueue(engine, "pc-1")
    book(queue, 1)
    pg_server.stop()
    try:
        with pytest.raises(LINK_ERRORS):
            link.call(lambda: queue.claim(["a"], 1))
        assert link.lost
    finally:
        pg_server.start()
    claim = link.retrying(lambda: queue.claim(["a"], 1))
    assert claim is not None and not link.lost


def test_only_the_claims_in_hand_are_renewed(engine: sa.Engine) -> None:
    """A restarted host (a new process under the same name) does not renew the rows its dead process
    held, nor rows it gave back while the database did not answer: those leases lapse and another host
    takes the rows."""
    dead = SharedQueue(engine, "h1", lease_s=1.0)
    book(dead, 3)
    assert dead.claim(["a"], 1) is not None  # row 2, then the process dies
    # a lease of 3 s: the renewed row must still be held when `other` claims (a busy host is slow)
    restarted, other = SharedQueue(engine, "h1", lease_s=3.0), SharedQueue(engine, "h2")
    kept, given = restarted.claim(["a"], 1), restarted.claim(["a"], 1)
    assert kept is not None and given is not None and (kept.rows, given.rows) == ((3,), (4,))
    restarted.engine = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(sa.exc.OperationalError):
        restarted.release(given)  # the database is away: the release does not reach it
    restarted.engine = engine
    time.sleep(3.2)
    assert restarted.heartbeat(["a"]) == 1  # row 3 only
    taken = other.claim(["a"], 10)
    assert taken is not None and taken.rows == (2, 4)


def test_a_workbook_left_without_its_report_is_taken_on_by_another_host(engine: sa.Engine) -> None:
    """The host that made the last row final died before writing the report (or before taking it on):
    after a lease any host's idle sweep finds the workbook and exactly one writes it."""
    one, two = SharedQueue(engine, "h1", lease_s=1.0), SharedQueue(engine, "h2", lease_s=1.0)
    book_id = book(one, 1)
    claim = one.claim(["a"], 1)
    assert claim is not None and one.finish(claim, done(claim.rows)) == [2]
    assert two.unreported() == [book_id]  # h1 died before complete()
    assert one.complete(book_id) and not two.complete(book_id)
    assert two.unreported() == []  # h1 took it on: its lease to write the report
    time.sleep(1.2)  # … and died before saying it was written
    assert two.unreported() == [book_id]
    assert two.complete(book_id) and not one.complete(book_id)
    two.reported(book_id, "/out/b-结果.xlsx", 0)
    time.sleep(1.2)
    assert two.unreported() == [] and one.unreported() == []
