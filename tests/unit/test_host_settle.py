"""What a host gives back to the shared queue after a batch (robot.ops.host_batch.settle): rows of an
account that could not be worked at all (login refused, portal or browser unusable) wait, doubling, instead
of being claimed again at once — no login every few seconds with a wrong password; a stop gives them back at
once; rows 待重试 wait as before and are final after `watch_retry_max` attempts."""

from __future__ import annotations

from datetime import datetime

import pytest

from robot.core.config import Settings
from robot.core.model import Result, RowOutcome
from robot.engine.stopping import STOP
from robot.ops.host_batch import BatchResult, settle
from robot.store.queue import Claim

SETTINGS = Settings(watch_retry_pause_s=300.0, watch_retry_max=3)
CLAIM = Claim(book_id=1, account="a", rows=(2, 3, 4))


def row(number: int, result: Result, retry_later: bool = False) -> RowOutcome:
    return RowOutcome(number, result, "", "", datetime.now(), [], retry_later)


@pytest.fixture(autouse=True)
def _not_stopped() -> None:
    STOP.clear()


def test_rows_of_an_account_that_could_not_be_worked_wait_doubling() -> None:
    result = BatchResult({2: row(2, Result.SUBMITTED)}, failure="登录失败：密码错误")
    back = settle(SETTINGS, CLAIM, result, {2: 1, 3: 1, 4: 3})
    assert back == {3: 300.0, 4: 1200.0}
    assert list(result.outcomes) == [2]


def test_a_stop_gives_the_rows_back_at_once() -> None:
    STOP.request("test")
    try:
        back = settle(SETTINGS, CLAIM, BatchResult({}, failure="已停止"), {})
    finally:
        STOP.clear()
    assert back == {2: 0.0, 3: 0.0, 4: 0.0}


def test_rows_to_retry_wait_and_end_after_their_attempts() -> None:
    outcomes = {2: row(2, Result.UNPROCESSED, retry_later=True), 3: row(3, Result.UNPROCESSED, retry_later=True)}
    result = BatchResult(dict(outcomes), failure="")
    back = settle(SETTINGS, CLAIM, result, {2: 1, 3: 3, 4: 1})
    assert back == {2: 300.0, 4: 0.0}
    assert list(result.outcomes) == [3]
