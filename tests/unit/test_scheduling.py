"""The work units pytest-xdist hands out in `make test` (tests/support/scheduling.py): a file per front end,
a variant seed on its own, a file without front ends whole."""

from __future__ import annotations

from tests.support.scheduling import DEFAULT_S, cost_of, work_unit


def test_a_file_is_cut_by_front_end() -> None:
    assert work_unit("tests/e2e/test_portal_guide.py::test_x[layui-chromium-是-customs]") == (
        "tests/e2e/test_portal_guide.py[layui]"
    )
    assert work_unit("tests/e2e/test_portal_guide.py::test_x[accessible-chromium]") == (
        "tests/e2e/test_portal_guide.py[accessible]"
    )
    assert work_unit("tests/e2e/test_fault_drills.py::test_y[layui-30-rows]") == "tests/e2e/test_fault_drills.py[layui]"


def test_a_file_without_front_ends_stays_whole() -> None:
    assert work_unit("tests/hostile/test_hostile_corpus.py::test_v[zip-bomb]") == "tests/hostile/test_hostile_corpus.py"


def test_each_variant_seed_is_a_unit() -> None:
    nodeid = "tests/e2e/test_variants.py::test_doctor[layui-seed-42]"
    assert work_unit(nodeid) == nodeid


def test_unlisted_files_have_the_default_cost() -> None:
    assert cost_of("test_something_new.py") == DEFAULT_S
    assert cost_of("test_robot_run.py") > DEFAULT_S
