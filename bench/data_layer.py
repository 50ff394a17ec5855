"""Benchmark of the data layer: read+validate and report for 10,000 rows (`python -m bench.data_layer`).

Targets: read_input well under 3 s, write_report well under 5 s. Not a test: timings depend on the machine.
Besides the wall time, the CPU time of this process (`time.process_time`) is kept: on a shared machine
it says what the step costs when the others' work takes the cores.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from loguru import logger

from robot.books.report import write_report
from robot.books.template import write_prefilled
from robot.books.workbook_in import read_input
from robot.core.model import Result, RowOutcome, RunSummary

ROWS = 10_000


class Timing(NamedTuple):
    read_s: float
    report_s: float
    read_cpu_s: float
    report_cpu_s: float


def measure(rows: int = ROWS, profile: Path | None = None) -> Timing:
    """Seconds (wall, CPU) to read+validate `rows` rows and to write their report (cProfile stats to `profile`)."""
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
        started, cpu = time.perf_counter(), time.process_time()
        book = read_input(source, today=date(2026, 1, 1))
        read_s, read_cpu_s = time.perf_counter() - started, time.process_time() - cpu
        outcomes = {
            r.row: RowOutcome(r.row, Result.SUCCESS, "提交成功", "已申报", datetime.now(), [folder / "ev.png"])
            for r in book.rows
        }
        summary = RunSummary(datetime.now(), datetime.now(), "http://127.0.0.1", "exporter1", "bench", source)
        started, cpu = time.perf_counter(), time.process_time()
        write_report(folder / "out.xlsx", book, outcomes, summary)
        report_s, report_cpu_s = time.perf_counter() - started, time.process_time() - cpu
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(str(profile))
    return Timing(read_s, report_s, read_cpu_s, report_cpu_s)


def main() -> int:
    t = measure(ROWS)
    print(f"read_input   {ROWS} rows: {t.read_s:.2f} s, CPU {t.read_cpu_s:.2f} s (target < 3 s)")
    print(f"write_report {ROWS} rows: {t.report_s:.2f} s, CPU {t.report_cpu_s:.2f} s (target < 5 s)")
    return 0 if t.read_s < 3 and t.report_s < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
