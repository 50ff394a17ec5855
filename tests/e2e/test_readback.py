"""End to end, issue 4: worklist → fill → run → reconcile, then harvest equals the portal's records."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from robot.books.workbook_in import read_input
from robot.commands.demo import mock_portal
from robot.commands.harvest import run_harvest
from robot.commands.wiring import portal_workers
from robot.commands.worklist import run_worklist
from robot.core.exit_codes import ExitCode
from robot.engine.job import RunRequest, run_job
from robot.engine.reconcile import run_reconcile
from tests.support.robot_settings import settings_for
from tests.support.workbooks import USER, PortalData, sheet_rows

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]  # the module's whole run is the first test's setup
WINDOW = 14  # about this many certificates in the worklist's date window


@dataclass
class Loop:
    url: str
    workdir: Path
    window: tuple[date, date]
    in_window: int
    worklist: Path
    held: str
    run_report: Path
    run_exit: ExitCode
    reconcile_exit: ExitCode


def submissions(url: str) -> list[dict]:
    return httpx.get(f"{url}/__test__/submissions", params={"enterprise": USER}).json()


def _window(url: str) -> tuple[tuple[date, date], int]:
    certs = httpx.get(f"{url}/__test__/certificates", params={"enterprise": USER}).json()
    days = sorted(date.fromisoformat(c["createdOn"]) for c in certs if c["approved"])
    first, last = days[20], days[20 + WINDOW - 1]
    return (first, last), sum(first <= d <= last for d in days)


@pytest.fixture(scope="module")
def loop(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loop]:
    workdir = tmp_path_factory.mktemp("loop")
    with mock_portal("--receipt-delay", "8") as url:
        settings = settings_for(url, workdir, captcha_solver="test-api", receipt_deadline_s=0)
        window, in_window = _window(url)
        worklist = workdir / "待补录.xlsx"
        assert run_worklist(settings, worklist, None, window[0], window[1], None) == ExitCode.OK
        data = PortalData(url)
        held = _fill(worklist, data)
        result = run_job(settings, RunRequest(worklist), workers=portal_workers)
        assert result.report is not None
        deadline = time.monotonic() + 60
        while any(s["status"] == "已申报" for s in submissions(url)) and time.monotonic() < deadline:
            time.sleep(0.3)
        code = run_reconcile(settings, workdir / "out", workers=portal_workers)
        yield Loop(url, workdir, window, in_window, worklist, held, result.report, result.exit_code, code)


def _fill(worklist: Path, data: PortalData) -> str:
    """Staff's part: 是否实际出口 and 报关单号 only. Every 4th row 否; the last one a held declaration."""
    book = load_workbook(worklist)
    sheet = book["补录清单"]
    header = [c.value for c in sheet[1]]
    exported, numbers = header.index("是否实际出口") + 1, header.index("报关单号") + 1
    good = iter(data.good)
    last = sheet.max_row
    while not sheet.cell(last, 2).value:
        last -= 1
    for r in range(2, last + 1):
        if r % 4 == 0 and r != last:
            sheet.cell(r, exported, "否")
        else:
            sheet.cell(r, exported, "是")
            sheet.cell(r, numbers, data.held[0] if r == last else next(good))
    book.save(worklist)
    return data.held[0]


def test_worklist_lists_the_window_for_both_authorities(loop: Loop) -> None:
    rows = sheet_rows(loop.worklist, "补录清单")
    filled = [r for r in rows if r["证明号"]]
    assert len(filled) == loop.in_window
    assert {r["签证机构"] for r in filled} == {"海关", "贸促会"}
    assert all(loop.window[0].isoformat() <= str(r["证明创建日期"]) <= loop.window[1].isoformat() for r in filled)


def test_filled_worklist_is_valid_input(loop: Loop) -> None:
    book = read_input(loop.worklist)
    assert book.rejections == [] and len(book.tasks) == loop.in_window


def test_run_reports_pending_at_deadline(loop: Loop) -> None:
    statuses = {r["补录状态"] for r in sheet_rows(loop.run_report, "明细") if r["证明号"]}
    assert statuses <= {"待海关接收", "海关接收成功", "海关接收失败"}
    assert "补录信息" in load_workbook(loop.run_report).sheetnames


def test_rows_sent_without_a_receipt_are_not_success_and_the_run_says_so(loop: Loop) -> None:
    rows = [r for r in sheet_rows(loop.run_report, "明细") if r["证明号"]]
    pending = [r for r in rows if r["补录状态"] == "待海关接收"]
    assert pending and all(r["处理结果"] == "已提交，待回执" for r in pending)
    assert all(r["处理结果"] != "成功" for r in rows if r["补录状态"] != "海关接收成功")
    facts = {r[0]: r[1] for r in load_workbook(loop.run_report)["汇总"].iter_rows(values_only=True) if r[0]}
    assert facts["已提交，待回执"] == len(pending)
    assert loop.run_exit == ExitCode.RECEIPTS_PENDING


def test_reconcile_turns_awaited_rows_into_success_or_failure(loop: Loop) -> None:
    reports = sorted((loop.workdir / "out").glob("对账-*.xlsx"))
    rows = sheet_rows(reports[-1], "对账")
    assert {r["处理结果"] for r in rows} == {"成功", "失败"}
    assert all("已提交，待回执 → 成功" in str(r["说明"]) for r in rows if r["处理结果"] == "成功")
    assert loop.reconcile_exit == ExitCode.ROWS_FAILED  # the held declaration's receipt says 海关接收失败


def test_reconcile_takes_over_the_rows_still_pending(loop: Loop) -> None:
    pending = {str(r["证明号"]) for r in sheet_rows(loop.run_report, "明细") if r["补录状态"] == "待海关接收"}
    reports = sorted((loop.workdir / "out").glob("对账-*.xlsx"))
    assert {str(r["证明号"]) for r in sheet_rows(reports[-1], "对账")} == pending


def test_run_then_reconcile_ends_every_row_final_with_the_reason(loop: Loop) -> None:
    final = {str(r["证明号"]): r for r in sheet_rows(loop.run_report, "明细") if r["证明号"]}
    reports = sorted((loop.workdir / "out").glob("对账-*.xlsx"))
    final.update({str(r["证明号"]): r for r in sheet_rows(reports[-1], "对账")})
    failed = [r for r in final.values() if r["补录状态"] == "海关接收失败"]
    assert len(failed) == 1 and f"报关单未放行或未结关：{loop.held}" in str(failed[0]["说明"])
    assert all(r["补录状态"] == "海关接收成功" for r in final.values() if r is not failed[0])


@pytest.mark.parametrize("details", [False, True])
def test_harvest_equals_the_portal_records(loop: Loop, details: bool) -> None:
    out = loop.workdir / f"harvest-{details}.xlsx"
    settings = settings_for(loop.url, loop.workdir, captcha_solver="test-api")
    assert run_harvest(settings, out, None, None, None, None, details) == ExitCode.OK
    got = {str(r["证明号"]): r for r in sheet_rows(out, "补录信息")}
    expected = submissions(loop.url)
    assert len(expected) > 10 and len(got) == len(expected)  # more than one page
    for s in expected:
        row = got[s["certNo"]]
        assert (row["签证机构"], row["是否实际出口"], row["补录状态"]) == (s["authority"], s["exported"], s["status"])
        assert (row["报关单号"] or "") == ";".join(s["declarationNos"])
        assert row["补录时间"] == datetime.fromisoformat(s["time"]).replace(microsecond=0, tzinfo=None)
        if details:
            assert (row["回执说明"] or "") == (s["reason"] or "")
