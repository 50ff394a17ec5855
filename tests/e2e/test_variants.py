"""End to end: the robot's main job and `corobot doctor` on mock portals whose pages vary by seed
(mock_portal/variants.py), three seeds that change every run (printed, and in the test id);
COROBOT_TEST_SEEDS=1,2,3 pins them, MOCK_VARIANT_FORCE="dialog=type1" sets dimensions on each.

Each seed: `corobot doctor` exits 0, and `corobot run` of a small valid workbook made from the
portal's data submits every row exactly once (the mock's test API counts) and exits 0. Same code as
`make fuzz` (bench/fuzz.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.fuzz import seeds_from, try_seed

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]  # a seed's doctor and run: up to 600 + 900 s
FRONTENDS = ("layui",)  # only the layui front end varies
SEEDS = seeds_from(os.environ.get("COROBOT_TEST_SEEDS"), 3, os.environ.get("PYTEST_XDIST_TESTRUNUID"))
"""Under pytest-xdist every worker collects the tests: the seeds come from the run's id, the same in each."""
FORCE = os.environ.get("MOCK_VARIANT_FORCE", "")
print(
    f"\ntest_variants: seeds {','.join(map(str, SEEDS))} (COROBOT_TEST_SEEDS={','.join(map(str, SEEDS))} "
    "reproduces them)" + (f", force {FORCE}" if FORCE else "")
)


@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed-{s}" for s in SEEDS])
def test_doctor_and_the_main_job_work_on_a_varied_portal(seed: int, tmp_path: Path) -> None:
    result = try_seed(seed, tmp_path, FORCE)
    print(result.line())
    print(f"    {result.variant}")
    detail = f"{result.line()}\n{result.variant}\n(reproduce: make fuzz SEEDS=1 SEED={seed})"
    assert result.submitted_once == result.rows and not result.sent_twice, detail
    assert result.run_exit == 0, detail
    assert result.doctor_exit == 0, detail
    assert result.agrees, detail
