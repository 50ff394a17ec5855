"""Benchmark of the data layer: read+validate and report for 10,000 rows (`python -m bench.data_layer`).

Targets: read_input well under 3 s, write_report well under 5 s. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from loguru import logger

from robot.books.report import write_report
from robot.books.template import write_prefilled
from robot.books.workbook_in import read_input
from robot.core.model import Result, RowOutcome, RunSummary

ROWS = 10_000


def measure(rows: int = ROWS, profile: Path | None = None) -> tuple[float, float]:
    """Seconds to read+validate `rows` rows and to write their report (cProfile stats to `profile`)."""
    import cProfile

    profiler = cProfile.Profile() if profile else None
    logger.remove()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = [
            {
                "签证机构": "海关",
                "证明号": f"A{i:015d}",
                "是否实际出口": "是",
                "报关单号": f"5101202400{i:08d}；5101202500{i:08d}",
                "出口商代码": "6101930001",
                "证明类型": "一般原产地证书",
                "证明创建日期": "2024-05-01",
                "备注": "x" * 20,
            }
            for i in range(rows)
        ]
        source = folder / "in.xlsx"
        write_prefilled(source, data)
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        book = read_input(source, today=date(2026, 1, 1))
        read_s = time.perf_counter() - started
        outcomes = {
            r.row: RowOutcome(r.row, Result.SUCCESS, "提交成功", "已申报", datetime.now(), [folder / "ev.png"])
            for r in book.rows
        }
        summary = RunSummary(datetime.now(), datetime.now(), "http://127.0.0.1", "exporter1", "bench", source)
        started = time.perf_counter()
        write_report(folder / "out.xlsx", book, outcomes, summary)
        report_s = time.perf_counter() - started
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(str(profile))
    return read_s, report_s


def main() -> int:
    read_s, report_s = measure(ROWS)
    print(f"read_input   {ROWS} rows: {read_s:.2f} s (target < 3 s)")
    print(f"write_report {ROWS} rows: {report_s:.2f} s (target < 5 s)")
    return 0 if read_s < 3 and report_s < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
