"""The benchmark's reporting and plumbing without a browser or a portal process: the page's targets from
made-up results, the run plan, the robot's setting overrides, the workbook helper and the mock portal's
request counter (the test API the benchmark reads its round trips from)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from bench import robot_once
from bench.__main__ import plan_runs
from bench.page import page_text, targets
from bench.sampler import StealClock
from bench.summary import Summary
from bench.workbooks import HEADERS, PlainRow, plain_rows, save_plain
from mock_portal.app import create_app
from mock_portal.settings import Settings as PortalSettings
from robot.core.config import Settings
from tests.support.bench_results import RUNS, results_of


def test_targets_say_met_or_not_with_the_numbers() -> None:
    found = {t.name: t for t in targets(Summary(results_of(RUNS)), results_of(RUNS))}
    per_row = next(t for n, t in found.items() if n.startswith("robot searching row by row"))
    assert per_row.ok is False and per_row.measured.startswith("1.5")  # 1.5 s / 1.0 s per row (start-up aside)
    steady = next(t for n, t in found.items() if "steady state" in n)
    assert steady.ok is True and steady.measured.startswith("0.90")
    scaling = next(t for n, t in found.items() if n.startswith("2 workers"))
    assert scaling.ok is True
    cpu = next(t for n, t in found.items() if n.startswith("browser CPU"))
    assert cpu.ok is True and cpu.measured.startswith("0.400")


def test_without_a_list_wise_mode_the_list_targets_are_not_measured() -> None:
    runs = [r for r in RUNS if r["kind"] != "robot_per_row"]
    for run in runs:
        if run["kind"] == "robot":
            run["search_mode"] = None
    found = targets(Summary(results_of(runs)), results_of(runs))
    listwise = [t for t in found if "down the list" in t.name]
    assert [t.ok for t in listwise] == [None, None]
    assert "no list-wise mode" in found[0].name


def test_page_states_round_trips_phases_and_the_politeness_cap() -> None:
    text = page_text(Summary(results_of(RUNS)), results_of(RUNS), [])
    assert "| `GET /swOrigin/api/supplement/certList` |" in text
    assert "| 查询证书 | 300 (1.00)" in text  # ms per row (calls per row), from the robot's step log
    assert "cannot enter more than 60 rows per minute" in text
    assert "Measured while other work ran on this machine" in text
    assert "**not met**" in text


def test_page_tells_a_host_taking_the_cpu_from_a_quiet_machine() -> None:
    def runs(steal: float) -> list[dict[str, Any]]:
        return [{**r, "steal_share": steal, "cpu_s": {**r.get("cpu_s", {}), "foreign": 0.0}} for r in RUNS]

    stolen = page_text(Summary(results_of(runs(0.45))), results_of(runs(0.45)), [])
    assert "Measured while the host took CPU time from this virtual machine" in stolen
    assert "a median 45 % (max 45 %) of its CPU time for others (steal)" in stolen
    quiet = page_text(Summary(results_of(runs(0.01))), results_of(runs(0.01)), [])
    assert "Measured on a quiet machine" in quiet


def test_a_steal_clock_reads_a_share() -> None:
    assert 0.0 <= StealClock().share() <= 1.0


def test_plan_alternates_floors_and_robots_with_the_per_row_mode() -> None:
    labels = [label for label, _ in plan_runs(1, 10, [1, 2], 100, None, {"search_mode": "row"})]
    assert labels == [
        "floor_bare 300 ms ± 50 1w run 1",
        "floor 300 ms ± 50 1w run 1",
        "robot 300 ms ± 50 1w run 1",
        "robot_per_row 300 ms ± 50 1w run 1",
        "browser_min 300 ms ± 50 1w run 1",
        "floor_bare 0 ms 1w run 1",
        "floor 0 ms 1w run 1",
        "robot 0 ms 1w run 1",
        "browser_min 0 ms 1w run 1",
        "floor 300 ms ± 50 2w run 1",
        "robot 300 ms ± 50 2w run 1",
    ]


def test_setting_overrides_take_the_fields_type() -> None:
    got = robot_once.overrides(Settings(), ["workers=2", "backoff_s=0.5", "headed=yes", "captcha_solver=test-api"])
    assert got == {"workers": 2, "backoff_s": 0.5, "headed": True, "captcha_solver": "test-api"}


class _Api:
    def certificates(self, user: str) -> list[dict[str, Any]]:
        return [
            {"authority": "贸促会", "certNo": "C1", "approved": True},
            {"authority": "海关", "certNo": "A1", "approved": False},
            {"authority": "海关", "certNo": "A2", "approved": True},
        ]

    def declarations(self, user: str) -> list[dict[str, Any]]:
        good = {"enterprise": user, "flag": "0", "status": "放行"}
        return [{**good, "number": "1"}, {**good, "number": "2", "status": "未放行"}, {**good, "number": "3"}]


def test_plain_rows_take_customs_first_and_valid_numbers(tmp_path: Path) -> None:
    rows = plain_rows(_Api(), 2)
    assert rows == [PlainRow("海关", "A2", "1"), PlainRow("贸促会", "C1", "3")]
    sheet = load_workbook(save_plain(tmp_path / "in.xlsx", rows))["补录清单"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADERS and values[1][:4] == ("海关", "A2", "是", "1")


def test_the_portal_counts_requests_behind_its_test_api(tmp_path: Path) -> None:
    app = create_app(PortalSettings(db=str(tmp_path / "p.db"), certs=10, test_api=True))
    with TestClient(app) as client:
        client.get("/cas/login")
        client.get("/cas/login?expired=1")
        client.get("/__test__/frontend")
        counted = client.get("/__test__/requests").json()
    assert counted == {"GET /cas/login": 2}


def test_the_least_a_browser_does_is_told_apart_from_the_robot(tmp_path: Path) -> None:
    text = page_text(Summary(results_of(RUNS)), results_of(RUNS), [], tmp_path / "none.json")
    assert "the least a browser does (`browser_min`)" in text
    assert "costs +100 ms per row; the rest is the page's" in text
