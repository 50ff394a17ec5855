"""Doctor tells the truth on steps broken on purpose: on the mock (variant 0) with a renamed menu entry,
without the 补录 form's 报关单号 field, or answering 【提交】 with a text the robot's profile does not
know, `corobot doctor` exits 0 exactly when `corobot run` submits every row once and exits 0 — and
when not, names the step. Same code as `make fuzz` (bench/fuzz.py `try_seed`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fuzz import try_seed

pytestmark = pytest.mark.e2e
FRONTENDS = ("layui",)  # the knobs break the layui front end
KNOBS = {
    "renamed-menu": (("--rename-menu", "补录信息查询=补录查询"), "二.6"),
    "no-numbers-field": (("--break-page", "numbers_field"), "一.9"),
    "unknown-success-text": (("--break-page", "success_text"), None),
}
IN_DRILLS = {"renamed-menu"}
"""`make drills` only: test_doctor names the renamed menu's step and shows its [words] line adapting
doctor and the run; test_robot_run stops a run on a renamed menu entry with PAGE_CHANGED."""


@pytest.mark.timeout(1200)  # doctor and a run on a fresh portal: minutes on a loaded machine
@pytest.mark.parametrize("knob", [pytest.param(k, marks=pytest.mark.drill) if k in IN_DRILLS else k for k in KNOBS])
def test_doctor_and_the_run_agree_on_a_step_broken_on_purpose(knob: str, tmp_path: Path) -> None:
    flags, step = KNOBS[knob]
    result = try_seed(0, tmp_path, extra=flags)
    print(result.line())
    assert not result.sent_twice, result.line()
    assert result.agrees, result.line()
    if step is None:  # survivable: the run submits every row, doctor finds every step
        assert result.run_ok and result.doctor_exit == 0, result.line()
    else:
        assert result.doctor_exit != 0 and step in result.doctor_missing, result.line()
