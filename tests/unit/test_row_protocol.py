"""The row protocol and the worker pool on the in-memory portal double (no browser): exactly once through
crashes after the intent, 5xx after 【提交】, the busy brake, expired sessions, browser recovery, a stop
while a row is in flight, and the receipts. Milliseconds a case; the real-browser tests stay in tests/e2e."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from robot.core.errors import (
    DeadlineExceeded,
    LoginFailed,
    PageChanged,
    PassingError,
    PortalBusinessError,
    PortalSystemError,
    SessionExpired,
)
from robot.core.model import STATUS_ACCEPTED, STATUS_PENDING_RECEIPT, STATUS_REJECTED, Result, Verdict
from robot.engine.row_protocol import NOT_FOUND
from robot.engine.runner import Runner
from tests.support.portal_double import REASON, REJECTED_NO, Bench, quick_settings, task


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    bench = Bench(tmp_path)
    yield bench
    bench.close()


def results(outcomes: dict[int, object]) -> list[str]:
    return [o.result.value for _, o in sorted(outcomes.items())]  # type: ignore[attr-defined]


def test_rows_are_sent_once_and_success_waits_for_the_receipt(bench: Bench) -> None:
    tasks = [task(2), task(3), task(4, (REJECTED_NO,))]
    bench.portal.add(*tasks)
    _, outcomes = bench.run(tasks)
    assert bench.portal.sent == {t.key: 1 for t in tasks}
    assert results(outcomes) == ["成功", "成功", "失败"]
    assert outcomes[2].status == STATUS_ACCEPTED and outcomes[4].status == STATUS_REJECTED
    assert REASON in outcomes[4].message


def test_no_receipt_by_the_deadline_is_submitted_awaiting_receipt_not_success(bench: Bench) -> None:
    bench.portal.add(task(2))
    bench.portal.receipts = False
    _, outcomes = bench.run([task(2)], quick_settings(receipt_deadline_s=0.0))
    assert outcomes[2].result is Result.SUBMITTED and outcomes[2].status == STATUS_PENDING_RECEIPT
    assert outcomes[2].verdict is Verdict.AWAITING_RECEIPT


def test_a_second_run_sends_nothing_again(bench: Bench) -> None:
    tasks = [task(2), task(3)]
    bench.portal.add(*tasks)
    bench.run(tasks)
    _, again = bench.run(tasks)
    assert bench.portal.sent == {t.key: 1 for t in tasks}
    assert results(again) == ["跳过", "跳过"]


def test_a_crash_after_the_intent_reads_back_and_sends_once(bench: Bench) -> None:
    bench.portal.add(task(2))
    bench.portal.fail("send", DeadlineExceeded("【提交】超时"))  # the intent is journaled, nothing reached the portal
    _, outcomes = bench.run([task(2)])
    assert bench.portal.sent[task(2).key] == 1 and outcomes[2].result is Result.SUCCESS
    assert bench.portal.calls["find_supplements"] >= 1  # looked the portal up before sending again


def test_a_5xx_after_submit_is_not_sent_again(bench: Bench) -> None:
    bench.portal.add(task(2))
    bench.portal.fail("sent", PassingError("系统繁忙，请稍后重试"))  # stored, but the answer was lost
    _, outcomes = bench.run([task(2)])
    assert bench.portal.sent[task(2).key] == 1
    assert outcomes[2].result is Result.SUCCESS and "未重复提交" in outcomes[2].message


ROW = quick_settings(search_mode="row")
SEARCHES = pytest.mark.parametrize(
    ("mode", "op"), [("row", "find_certificate"), ("list", "list_pages")], ids=["per-row", "list"]
)
"""The search of each row, or the one search of rows worked down the list."""


@SEARCHES
def test_the_busy_brake_stops_the_run_and_leaves_the_rest_unprocessed(bench: Bench, mode: str, op: str) -> None:
    tasks = [task(r) for r in range(2, 8)]
    bench.portal.add(*tasks)
    bench.portal.fail(op, *[PassingError("系统繁忙")] * 50)
    runner, outcomes = bench.run(tasks, quick_settings(max_consecutive_system_errors=4, search_mode=mode))
    assert runner.stop.is_set() and "连续 4 次系统错误" in runner.abort_reason
    assert set(results(outcomes)) == {"未处理"} and sum(bench.portal.sent.values()) == 0
    if mode == "row":
        assert any(o.verdict is Verdict.RETRY_LATER for o in outcomes.values())


def test_system_errors_after_all_attempts_are_retry_later_never_failed(bench: Bench) -> None:
    bench.portal.add(task(2), task(3))
    bench.portal.fail("find_certificate", *[PortalSystemError("页面出错")] * 3)
    _, outcomes = bench.run([task(2), task(3)], ROW)
    assert outcomes[2].verdict is Verdict.RETRY_LATER and outcomes[2].message.startswith("待重试")
    assert outcomes[3].result is Result.SUCCESS


def test_an_expired_session_logs_in_again_and_keeps_the_login(bench: Bench) -> None:
    bench.portal.add(task(2))
    bench.portal.fail("prepare", SessionExpired("门户会话已过期"))
    saved: list[object] = []
    runner, outcomes = bench.run([task(2)])
    assert outcomes[2].result is Result.SUCCESS and bench.portal.calls["connect"] == 2
    assert runner.pool.login_state is not None and not saved


def test_a_context_that_stops_answering_is_replaced_and_the_row_keeps_its_attempts(bench: Bench) -> None:
    bench.portal.add(task(2))
    bench.portal.fail("find_certificate", DeadlineExceeded("查询证书超时"), DeadlineExceeded("查询证书超时"))
    runner, outcomes = bench.run([task(2)], quick_settings(row_attempts=2))
    assert outcomes[2].result is Result.SUCCESS and bench.portal.sent[task(2).key] == 1
    assert len(bench.session.contexts) == 3 and runner.pool.recoveries.used == 2


@SEARCHES
def test_too_many_recoveries_end_the_run(bench: Bench, mode: str, op: str) -> None:
    tasks = [task(2), task(3)]
    bench.portal.add(*tasks)
    bench.portal.fail(op, *[DeadlineExceeded("无响应")] * 10)
    runner, outcomes = bench.run(tasks, quick_settings(max_recoveries=2, search_mode=mode))
    assert "max_recoveries" in runner.abort_reason and set(results(outcomes)) == {"未处理"}


@pytest.mark.parametrize("mode", ["row", "list"])
def test_recoveries_spread_over_rows_do_not_end_the_run(bench: Bench, mode: str) -> None:
    """A busy PC: the browser misses a deadline at every row's dialog, once. Each row done starts the
    budget over, so three recoveries with a budget of two end nothing; every row is sent once."""
    tasks = [task(2), task(3), task(4)]
    bench.portal.add(*tasks)
    bench.portal.fail("prepare", *[DeadlineExceeded("补录对话框无响应"), None] * 3)
    runner, outcomes = bench.run(tasks, quick_settings(max_recoveries=2, search_mode=mode))
    assert not runner.abort_reason and set(results(outcomes)) == {"成功"}
    assert runner.pool.recoveries.used == 3 and all(bench.portal.sent[t.key] == 1 for t in tasks)


def test_a_row_that_always_stalls_is_bounded_while_other_workers_go_on(bench: Bench) -> None:
    """Other workers' rows start the recovery budget over, so the row that always misses its deadline is
    bounded by itself: it keeps its attempt after at most max_recoveries recoveries, then spends them."""
    tasks = [task(r) for r in range(2, 22)]
    bench.portal.add(*tasks)
    bench.portal.stalling.add(task(2).cert_no)
    _, outcomes = bench.run(tasks, quick_settings(workers=2, max_recoveries=3, row_attempts=2))
    assert bench.portal.stalled[task(2).cert_no] <= 3 + 2
    assert outcomes[2].result is Result.UNPROCESSED
    assert all(outcomes[t.row].result is Result.SUCCESS and bench.portal.sent[t.key] == 1 for t in tasks[1:])


def test_contexts_are_recycled_every_few_rows(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 7)]
    bench.portal.add(*tasks)
    _, outcomes = bench.run(tasks, quick_settings(recycle_every_rows=2))
    assert set(results(outcomes)) == {"成功"} and len(bench.session.contexts) == 3


def test_two_workers_share_the_rows_each_once(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 12)]
    bench.portal.add(*tasks)
    _, outcomes = bench.run(tasks, quick_settings(workers=2))
    assert bench.portal.sent == {t.key: 1 for t in tasks} and set(results(outcomes)) == {"成功"}
    assert len(bench.session.contexts) == 2


def test_a_stop_while_a_row_is_in_flight_sends_nothing_twice(bench: Bench) -> None:
    tasks = [task(2), task(3)]
    bench.portal.add(*tasks)
    bench.portal.hold_send = asyncio.Event()

    async def stop_when_sending(runner: Runner) -> None:
        while not runner.protocol.doing:
            await asyncio.sleep(0)
        while runner.protocol.doing.get(2) != "【提交】":
            await asyncio.sleep(0)
        runner.abort("运行已停止（测试）")

    runner, outcomes = bench.run(tasks, during=stop_when_sending)
    assert sum(bench.portal.sent.values()) == 0 and runner.stop.is_set()
    assert results(outcomes) == ["未处理", "未处理"]
    bench.portal.hold_send = None
    _, again = bench.run(tasks)  # the intent of row 2 is read back first, then it is sent once
    assert bench.portal.sent == {t.key: 1 for t in tasks} and results(again) == ["成功", "成功"]


def test_business_errors_fail_the_row_and_are_not_retried(bench: Bench) -> None:
    bench.portal.add(task(3))
    bench.portal.fail("prepare", PortalBusinessError("报关单号格式不正确"))
    _, outcomes = bench.run([task(2), task(3)])
    assert outcomes[2].result is Result.FAILED and "未找到该证明号" in outcomes[2].message
    assert outcomes[3].result is Result.FAILED and bench.portal.calls["prepare"] == 1


def test_a_login_refused_stops_the_run(bench: Bench) -> None:
    bench.portal.add(task(2))
    bench.portal.fail("connect", LoginFailed("账号或密码错误"))
    with pytest.raises(LoginFailed):  # the run's job reports the account 门户无法操作 (exit code 3)
        bench.run([task(2)])
    assert sum(bench.portal.sent.values()) == 0


@SEARCHES
def test_the_same_missing_element_twice_is_a_changed_page(bench: Bench, mode: str, op: str) -> None:
    tasks = [task(r) for r in range(2, 6)]
    bench.portal.add(*tasks)
    bench.portal.fail(op, PageChanged("报关单号补录"), PageChanged("报关单号补录"))
    runner, outcomes = bench.run(tasks, quick_settings(search_mode=mode))
    assert runner.page_change is not None and runner.page_change.words == "报关单号补录"
    assert runner.page_change.step == "查询证书（报关单号补录）"
    assert set(results(outcomes)) == {"未处理"} and sum(bench.portal.sent.values()) == 0
    assert all(o.verdict is Verdict.NOT_REACHED for o in outcomes.values())


def test_one_missing_element_is_tried_again(bench: Bench) -> None:
    bench.portal.add(task(2))
    bench.portal.fail("find_certificate", PageChanged("证明号"))
    runner, outcomes = bench.run([task(2)])
    assert runner.page_change is None and outcomes[2].result is Result.SUCCESS


# ---- working down the list (search_mode = "list", the default) ----------------------------------------


def test_rows_sharing_a_search_are_worked_down_one_list(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 7)]
    bench.portal.add(*tasks)
    _, outcomes = bench.run(tasks)
    assert bench.portal.sent == {t.key: 1 for t in tasks} and set(results(outcomes)) == {"成功"}
    assert bench.portal.calls["list_pages"] == 1 and bench.portal.calls["next_page"] == 2  # 5 rows, 2 a page
    assert bench.portal.calls["find_certificate"] == 0


def test_per_row_search_when_forced_for_single_rows_and_for_rows_of_their_own_filter(bench: Bench) -> None:
    tasks = [task(2), task(3)]
    bench.portal.add(*tasks)
    bench.run(tasks, ROW)
    assert bench.portal.calls["list_pages"] == 0 and bench.portal.calls["find_certificate"] == 2
    own = [replace(task(4), exporter_code="3302960001"), replace(task(5), exporter_code="3302960002"), task(6)]
    bench.portal.add(*own)
    _, outcomes = bench.run(own)
    assert bench.portal.calls["list_pages"] == 0 and bench.portal.calls["find_certificate"] == 5
    assert results(outcomes) == ["成功", "成功", "成功"]


def test_a_row_on_no_page_fails_with_todays_reason_and_one_off_the_list_is_searched(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 7)]
    bench.portal.add(*tasks[1:])  # row 2's certificate is not there at all
    bench.portal.unlisted.add(tasks[2].cert_no)  # row 4's only by its own search (the page's own filter)
    _, outcomes = bench.run(tasks)
    assert results(outcomes) == ["失败", "成功", "成功", "成功", "成功"]
    assert outcomes[2].message == NOT_FOUND
    assert bench.portal.calls["list_pages"] == 1 and bench.portal.calls["find_certificate"] == 2
    assert bench.portal.sent == {t.key: 1 for t in tasks[1:]}


def test_a_certificate_no_longer_where_the_list_showed_it_is_searched_on_its_own(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 8)]
    bench.portal.add(*tasks)
    bench.portal.moved.update({tasks[1].cert_no, tasks[4].cert_no})
    _, outcomes = bench.run(tasks, quick_settings(row_attempts=1))
    assert bench.portal.sent == {t.key: 1 for t in tasks} and set(results(outcomes)) == {"成功"}
    assert bench.portal.calls["find_certificate"] >= 2  # the two moved ones, by their own search
    assert bench.portal.calls["list_pages"] >= 2  # the list was searched again after the own searches


@pytest.mark.parametrize("op", ["list_pages", "next_page"])
def test_a_fault_while_listing_searches_the_list_again(bench: Bench, op: str) -> None:
    tasks = [task(r) for r in range(2, 9)]
    bench.portal.add(*tasks)
    bench.portal.fail(op, PassingError("系统繁忙"), PortalSystemError("页面出错"))
    _, outcomes = bench.run(tasks)
    assert bench.portal.sent == {t.key: 1 for t in tasks} and set(results(outcomes)) == {"成功"}
    assert bench.portal.calls["list_pages"] == 3


def test_a_list_that_keeps_failing_leaves_its_rows_to_their_own_search(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 6)]
    bench.portal.add(*tasks)
    bench.portal.fail("next_page", *[PortalSystemError("页面出错")] * 20)
    _, outcomes = bench.run(tasks)
    assert bench.portal.sent == {t.key: 1 for t in tasks} and set(results(outcomes)) == {"成功"}
    assert bench.portal.calls["find_certificate"] == 2  # the first page's two rows came from the list


@pytest.mark.parametrize(
    "fault", [DeadlineExceeded("【提交】超时"), PortalSystemError("页面出错")], ids=["crash", "broken"]
)
def test_a_listed_row_failing_between_intent_and_submit_is_read_back_then_sent_once(
    bench: Bench, fault: Exception
) -> None:
    tasks = [task(r) for r in range(2, 7)]
    bench.portal.add(*tasks)
    bench.portal.fail("send", None, fault)  # row 3: the intent is journaled, nothing reached the portal
    _, outcomes = bench.run(tasks)
    assert bench.portal.sent == {t.key: 1 for t in tasks} and set(results(outcomes)) == {"成功"}
    assert bench.portal.calls["find_supplements"] >= 1  # read back before it was sent again
    bench.portal.fail("sent", None, None, PassingError("系统繁忙"))  # another run: stored, the answer lost
    more = [task(r) for r in range(7, 12)]
    bench.portal.add(*more)
    _, again = bench.run(more)
    assert bench.portal.sent == {t.key: 1 for t in tasks + more}
    assert "未重复提交" in again[9].message


def test_a_second_run_of_a_list_searches_nothing(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 6)]
    bench.portal.add(*tasks)
    bench.run(tasks)
    calls = bench.portal.calls["list_pages"]
    _, again = bench.run(tasks)
    assert set(results(again)) == {"跳过"} and bench.portal.calls["list_pages"] == calls


def test_two_workers_share_one_list_each_row_once(bench: Bench) -> None:
    tasks = [task(r) for r in range(2, 14)]
    bench.portal.add(*tasks)
    bench.portal.page_size = 3
    bench.portal.fail("prepare", None, None, None, PortalSystemError("页面出错"))
    _, outcomes = bench.run(tasks, quick_settings(workers=2))
    assert bench.portal.sent == {t.key: 1 for t in tasks} and set(results(outcomes)) == {"成功"}
