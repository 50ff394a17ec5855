"""End to end: `corobot run` on a mixed workbook against the mock portal in real Chromium (OCR captcha)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from robot.commands.demo import mock_portal
from robot.commands.wiring import portal_workers
from robot.core.exit_codes import ExitCode
from robot.engine.job import RunRequest, RunResult, run_job
from tests.support.robot_settings import settings_for
from tests.support.workbooks import USER, Sample, mixed_sample, plain_sample

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def portal_url(frontend: str) -> Iterator[str]:
    with mock_portal("--receipt-delay", "1", "--notice") as url:
        yield url


@pytest.fixture(scope="module")
def workdir(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run")


@pytest.fixture(scope="module")
def first_run(portal_url: str, workdir: Path) -> tuple[Sample, RunResult]:
    sample = mixed_sample(portal_url, workdir / "清单.xlsx")
    result = run_job(settings_for(portal_url, workdir), RunRequest(sample.path), workers=portal_workers)
    return sample, result


def submissions(url: str) -> list[dict]:
    return httpx.get(f"{url}/__test__/submissions", params={"enterprise": USER}).json()


def detail_rows(report: Path) -> dict[int, dict[str, str]]:
    sheet = load_workbook(report)["明细"]
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return {i + 2: dict(zip(header, row, strict=False)) for i, row in enumerate(values[1:])}


def test_sample_has_both_authorities_and_invalid_kinds(first_run: tuple[Sample, RunResult]) -> None:
    sample, _ = first_run
    assert {e.authority for e in sample.submitted} == {"海关", "贸促会"}
    assert len(sample.expected) >= 30
    assert sum(e.result == "无效" for e in sample.expected) >= 10


def test_exit_code_says_some_rows_failed(first_run: tuple[Sample, RunResult]) -> None:
    assert first_run[1].exit_code == ExitCode.ROWS_FAILED


def test_each_valid_row_submitted_once_with_its_numbers(first_run: tuple[Sample, RunResult], portal_url: str) -> None:
    sample, _ = first_run
    got = submissions(portal_url)
    assert len(got) == len(sample.submitted)
    by_cert = {s["certNo"]: s for s in got}
    for e in sample.submitted:
        s = by_cert[e.cert_no]
        assert (s["authority"], s["exported"], s["declarationNos"]) == (e.authority, e.exported, e.numbers)


def test_report_rows_match_cell_by_cell(first_run: tuple[Sample, RunResult]) -> None:
    sample, result = first_run
    assert result.report is not None
    rows = detail_rows(result.report)
    source = load_workbook(sample.path)["补录清单"]
    for e in sample.expected:
        got = rows[e.row]
        given = [c.value for c in source[e.row]]
        for column, value in zip(("签证机构", "证明号", "是否实际出口", "备注"), (*given[:3], given[5]), strict=True):
            assert _text(got[column]) == _text(value), (e.row, column)
        assert got["处理结果"] == e.result, (e.row, got)
        if e.result == "成功":
            assert got["补录状态"] == e.status
        else:
            assert got["说明"], e.row


def test_second_run_submits_nothing(first_run: tuple[Sample, RunResult], portal_url: str, workdir: Path) -> None:
    sample, _ = first_run
    before = len(submissions(portal_url))
    again = run_job(
        settings_for(portal_url, workdir, captcha_solver="test-api"), RunRequest(sample.path), workers=portal_workers
    )
    assert len(submissions(portal_url)) == before
    rows = detail_rows(again.report) if again.report else {}
    assert all(rows[e.row]["处理结果"] == "跳过" for e in sample.submitted)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def test_no_secret_in_log_report_or_evidence(first_run: tuple[Sample, RunResult]) -> None:
    _, result = first_run
    assert result.report is not None
    folder = result.report.parent
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert any(p.suffix == ".zip" for p in files) and any(p.suffix == ".log" for p in files)
    for path in files:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as trace:
                assert all(b"Corobot#2026" not in trace.read(member) for member in trace.namelist()), path
        assert b"Corobot#2026" not in path.read_bytes(), path


def test_failed_row_links_its_evidence(first_run: tuple[Sample, RunResult]) -> None:
    _, result = first_run
    assert result.report is not None
    failed = [r for r in detail_rows(result.report).values() if r["处理结果"] == "失败"]
    assert failed
    for row in failed:
        for name in str(row["证据"]).splitlines():
            assert (result.report.parent / name).exists()


@pytest.mark.frontend_neutral  # the worker pool; the pages are the module run's, on both front ends
def test_two_workers_enter_each_row_once(tmp_path: Path) -> None:
    with mock_portal("--receipt-delay", "1") as url:
        sample = plain_sample(url, tmp_path / "two.xlsx", 8)
        result = run_job(
            settings_for(url, tmp_path, captcha_solver="test-api", workers=2),
            RunRequest(sample.path),
            workers=portal_workers,
        )
        got = sorted(s["certNo"] for s in submissions(url))
    assert result.exit_code == ExitCode.OK
    assert got == sorted(e.cert_no for e in sample.expected)


@pytest.mark.frontend_neutral  # the run's flag; filling on both front ends is the module run's
def test_dry_run_fills_but_submits_nothing(tmp_path: Path) -> None:
    with mock_portal("--receipt-delay", "1") as url:
        sample = plain_sample(url, tmp_path / "dry.xlsx", 3)
        result = run_job(
            settings_for(url, tmp_path, captcha_solver="test-api"),
            RunRequest(sample.path, dry_run=True),
            workers=portal_workers,
        )
        assert submissions(url) == []
    assert result.report is not None
    rows = detail_rows(result.report)
    assert all(rows[e.row]["处理结果"] == "跳过" and "试运行" in str(rows[e.row]["说明"]) for e in sample.expected)


@pytest.mark.frontend_neutral  # the exit code; the missing step on both front ends: test_robot_resilience, test_doctor
def test_a_changed_page_stops_the_run_and_names_the_step(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Issue 17 part 4: a guide element missing twice is PAGE_CHANGED (6), not 门户不可用 (3)."""
    with mock_portal("--receipt-delay", "1", "--rename-menu", "报关单号补录=单号补录") as url:
        sample = plain_sample(url, tmp_path / "changed.xlsx", 4)
        result = run_job(
            settings_for(url, tmp_path, captcha_solver="test-api", workers=1),
            RunRequest(sample.path),
            workers=portal_workers,
        )
        assert submissions(url) == []
    assert result.exit_code == ExitCode.PAGE_CHANGED and result.aborted
    assert result.report is not None
    rows = detail_rows(result.report)
    assert [rows[e.row]["处理结果"] for e in sample.expected] == ["未处理"] * 4
    assert all("报关单号补录" in str(rows[e.row]["说明"]) for e in sample.expected)
    said = capfd.readouterr().err
    assert "这一步两次未找到【" in said and "报关单号补录】" in said and "corobot doctor" in said, said
    assert "xpath" not in said.lower() and "locator(" not in said
    assert "PAGE_CHANGED" in said
