"""The host benchmark's reporting and plumbing without a browser, a portal or a database: the page's
section "Several hosts on one PostgreSQL queue" from made-up results, the rows dealt round the accounts,
each host's corobot.toml, and the polling loop's three ways to end."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from bench.host_group import CertPool, config_text, deal_rows, save_book
from bench.host_queue import Progress
from bench.hosts import certs_needed, parse_counts, watch
from bench.hosts_page import TITLE, hosts_section
from bench.page import page_text
from bench.summary import Summary
from tests.support.bench_results import RUNS, results_of


def _run(hosts: int, rate: float, wall: float, **extra: Any) -> dict[str, Any]:
    per_host = {f"pc-{k}": 24 // hosts for k in range(1, hosts + 1)}
    return {
        "hosts": hosts,
        "rows": 24,
        "final": 24,
        "entered": 24,
        "rows_by_host": per_host,
        "duplicates": 0,
        "lost": 0,
        "rows_per_min": rate,
        "final_span_rows_per_min": rate * 1.2,
        "wall_s": wall,
        "first_claim_s": 3.0,
        "claims": 24,
        "report_exit_code": 7,
        "machine_busy": 0.9,
        "loadavg": [4.0, 6.0, 5.0],
        "timed_out": False,
        "error": "",
        **extra,
    }


def _hosts(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "started": "2026-12-06T23:40:00",
        "elapsed_s": 1500,
        "postgres": "15",
        "settings": {
            "counts": [r["hosts"] for r in runs],
            "rows": 24,
            "latency": "300 ms ± 50",
            "certs": 300,
            "enterprises": 3,
            "host_settings": {"CO_RECEIPT_DEADLINE_S": "0"},
            "command": "python -m bench.hosts --rows 24",
            "note": "",
        },
        "machine": {"cores": 2, "commit": "abc1234"},
        "runs": runs,
    }


def test_section_has_one_row_per_host_count_against_the_one_host_rate() -> None:
    data = _hosts([_run(1, 4.0, 400), _run(2, 7.0, 230), _run(3, 9.0, 190, duplicates=1)])
    text = "\n".join(hosts_section(data))
    assert f"## {TITLE}" in text
    assert "| hosts | rows | rows/min | × the 1-host rate | wall s | rows per host | duplicates / lost |" in text
    assert "| 1 | 24 | 4.0 | 1.00 | 400 | pc-1: 24 | 0 / 0 |" in text
    assert "| 2 | 24 | 7.0 | 1.75 | 230 | pc-1: 12, pc-2: 12 | 0 / 0 |" in text
    assert "| 3 | 24 | 9.0 | 2.25 | 190 | pc-1: 8, pc-2: 8, pc-3: 8 | 1 / 0 |" in text
    assert "**Not exactly once:** 3 hosts: 1 duplicates, 0 lost." in text
    assert "This machine has 2 cores" in text  # 3 hosts on 2 cores: said on the page
    assert "| 3 | 3.0 | 10.8 | 24 | 7 | 90 % | 5.0 / 6.0 | – |" in text
    assert "`--enterprises 3 --certs 300`" in text and "`CO_RECEIPT_DEADLINE_S=0`" in text


def test_a_timed_out_measurement_says_so_and_has_no_ratio() -> None:
    late = _run(2, 0.0, 0, rows_per_min=None, wall_s=None, final=10, timed_out=True, error="timed out (10 rows final)")
    text = "\n".join(hosts_section(_hosts([_run(1, 4.0, 400), late])))
    assert "| 2 | 24 | timed out (10/24 final) | – | – |" in text
    assert "Every certificate reached the mock portal exactly once" in text


def test_section_without_results_says_how_to_measure() -> None:
    assert "python -m bench.hosts" in "\n".join(hosts_section(None))
    assert "Not measured: no PostgreSQL." in "\n".join(hosts_section({"skipped": "no PostgreSQL"}))


def test_the_page_carries_the_section_from_its_own_file(tmp_path: Path) -> None:
    hosts = tmp_path / "hosts.json"
    hosts.write_text(json.dumps(_hosts([_run(1, 4.0, 400), _run(2, 7.0, 230)])), encoding="utf-8")
    results = results_of(RUNS)
    text = page_text(Summary(results), results, [], hosts)
    assert f"## {TITLE}" in text and "| 2 | 24 | 7.0 | 1.75 | 230 |" in text
    assert "the Speed table above has `corobot run` (1 worker, same latency) at 64.9" in text
    assert "Not measured yet: `python -m bench.hosts`" in page_text(Summary(results), results, [], tmp_path / "x")


class _Api:
    def certificates(self, user: str) -> list[dict[str, Any]]:
        return [{"authority": "海关", "certNo": f"{user}-{i}", "approved": True} for i in range(30)]

    def declarations(self, user: str) -> list[dict[str, Any]]:
        return [{"number": f"{user}-n{i}", "enterprise": user, "flag": "0", "status": "放行"} for i in range(30)]


def test_rows_are_dealt_round_the_accounts_with_fresh_certificates(tmp_path: Path) -> None:
    pool = CertPool(_Api())
    first = deal_rows(pool, ["exporter1"], 4)
    dealt = deal_rows(pool, ["exporter1", "exporter2", "exporter3"], 7)
    assert [a for a, _ in dealt] == ["exporter1", "exporter2", "exporter3"] * 2 + ["exporter1"]
    assert [r.cert_no for a, r in dealt if a == "exporter1"] == ["exporter1-4", "exporter1-5", "exporter1-6"]
    assert not {r.cert_no for _, r in first} & {r.cert_no for _, r in dealt}
    sheet = load_workbook(save_book(tmp_path / "b.xlsx", dealt)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][-1] == "账号" and rows[2][1:4] == ("exporter2-0", "是", "exporter2-n0") and rows[2][-1] == "exporter2"
    )


def test_each_account_is_pinned_to_its_own_host() -> None:
    config = tomllib.loads(config_text(["exporter1", "exporter2"]))
    assert config["accounts"] == {
        "exporter1": {"username": "exporter1", "hosts": ["pc-1"]},
        "exporter2": {"username": "exporter2", "hosts": ["pc-2"]},
    }


def test_counts_and_certificates() -> None:
    assert parse_counts("1, 2,3") == [1, 2, 3] and parse_counts("0") == [] and parse_counts("") == []
    assert certs_needed([1, 2, 3], 24) == 300 and certs_needed([1], 400) == 1100


def test_watch_ends_at_the_report_at_a_dead_host_or_at_the_deadline(tmp_path: Path) -> None:
    report = tmp_path / "r.xlsx"
    report.write_bytes(b"x")
    states = iter([Progress(0, 0, None), Progress(2, 0, None), Progress(4, 4, str(report))])
    seen = watch(lambda: next(states), dict, deadline=float("inf"))
    assert seen["first_claim"] is not None and seen["report_at"] == report.stat().st_mtime and not seen["error"]
    dead = watch(lambda: Progress(1, 0, None), lambda: {"pc-2": 3}, deadline=float("inf"))
    assert dead["error"] == "host(s) ended on their own: pc-2 exit 3"
    late = watch(lambda: Progress(1, 1, None), dict, deadline=0.0)
    assert late["timed_out"] and late["error"] == "timed out (1 rows final)"


def test_make_bench_runs_the_hosts_unless_told_not_to() -> None:
    from bench.__main__ import _args, hosts_file

    full, quick = _args([]), _args(["--quick"])
    assert (full.host_counts, full.host_rows) == ("1,2,3", 60)
    assert (quick.host_counts, quick.host_rows) == ("1,2", 4)
    assert hosts_file(full).name == "hosts.json" and hosts_file(full).parent == full.results.parent
    assert parse_counts(_args(["--host-counts", "0"]).host_counts) == []
