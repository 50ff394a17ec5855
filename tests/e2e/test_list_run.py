"""End to end: rows sharing one search worked down the result list (search_mode = "list", the default)
against the mock portal in real Chromium, and the per-row search when it is forced; also on a variant
with another pager, page size and result list."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext

from flows.portal import PortalWorker
from robot.commands.demo import mock_portal
from robot.commands.wiring import solver_factory
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.model import Task
from robot.core.portal import ListSearch
from robot.engine.job import RunRequest, RunResult, run_job
from robot.engine.row_protocol import NOT_FOUND
from tests.support.robot_settings import settings_for
from tests.support.workbooks import USER, PortalData, save_rows, sheet_rows

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]  # one whole run per test
MISSING = "C250000000000000"
"""A 证明号 the portal does not have."""


class Counted:
    """The real portal workers, counting how often they search (per row, or once for a list)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, context: BrowserContext, settings: Settings) -> PortalWorker:
        calls = self.calls

        class CountingWorker(PortalWorker):
            async def find_certificate(self, task: Task) -> Any:
                calls["find_certificate"] += 1
                return await super().find_certificate(task)

            def list_pages(self, search: ListSearch) -> Any:
                calls["list_pages"] += 1
                return super().list_pages(search)

        return CountingWorker(context, settings, solver_factory(settings))


def submitted(url: str) -> Counter[str]:
    got = httpx.get(f"{url}/__test__/submissions", params={"enterprise": USER}).json()
    return Counter(s["certNo"] for s in got)


def workbook(url: str, path: Path, count: int) -> list[str]:
    """`count` rows of 海关 certificates (from every page of the list) and one 证明号 the portal lacks."""
    data = PortalData(url)
    certs = data.customs[::-1][:count]  # the newest last: the list shows them in another order
    rows: list[list[object]] = [["海关", c["certNo"], "是", n, "", ""] for c, n in zip(certs, data.good, strict=False)]
    rows.insert(count // 2, ["海关", MISSING, "是", data.good[count], "", "不存在的证明号"])
    save_rows(path, rows)
    return [c["certNo"] for c in certs]


def run(url: str, workdir: Path, count: int, **changes: Any) -> tuple[RunResult, Counted, list[str]]:
    certs = workbook(url, workdir / "清单.xlsx", count)
    counted = Counted()
    result = run_job(settings_for(url, workdir, **changes), RunRequest(workdir / "清单.xlsx"), workers=counted)
    return result, counted, certs


def check(url: str, result: RunResult, certs: list[str]) -> None:
    assert result.exit_code == ExitCode.ROWS_FAILED  # the missing certificate
    assert result.report is not None
    rows = sheet_rows(result.report, "明细")
    missing = [r for r in rows if r["证明号"] == MISSING]
    assert len(missing) == 1 and missing[0]["处理结果"] == "失败" and missing[0]["说明"] == NOT_FOUND
    assert {r["处理结果"] for r in rows if r["证明号"] != MISSING} == {"成功"}
    assert submitted(url) == Counter(certs)  # each once


def test_rows_sharing_a_search_are_worked_down_one_list(tmp_path: Path) -> None:
    with mock_portal("--receipt-delay", "1") as url:
        result, counted, certs = run(url, tmp_path, 10)
        check(url, result, certs)
    assert result.report is not None
    # A 【提交】 whose message came only after the dialog had closed (a busy host) is judged by the row's
    # status, read back by a search of its own; the list is then searched again.
    quiet = result.report.with_suffix(".log").read_text(encoding="utf-8").count("closed without a message")
    assert 1 <= counted.calls["list_pages"] <= 1 + quiet
    assert counted.calls["find_certificate"] <= 2 + quiet  # the missing one (and one more, if the list moved)


def test_per_row_search_when_forced(tmp_path: Path) -> None:
    with mock_portal("--receipt-delay", "1") as url:
        result, counted, certs = run(url, tmp_path, 4, search_mode="row")
        check(url, result, certs)
    assert counted.calls["list_pages"] == 0 and counted.calls["find_certificate"] == 5


@pytest.mark.parametrize(
    "force",
    ["pager=alt,page_size=15,results=layui,outcome=alert", "page_size=20,results=server,dialog=type1,outcome=silent"],
    ids=["layui-table", "server-list"],
)
def test_a_list_on_another_pager_and_page_size(tmp_path: Path, frontend: str, force: str) -> None:
    if frontend != "layui":
        pytest.skip("variants are of the layui front end")
    with mock_portal("--receipt-delay", "1", "--variant", "0", "--variant-force", force) as url:
        result, counted, certs = run(url, tmp_path, 12, row_attempts=2)
        check(url, result, certs)
    assert counted.calls["list_pages"] >= 1
