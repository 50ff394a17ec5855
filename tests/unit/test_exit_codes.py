"""Exit codes: every one documented in the README's table, and the gravest wins (6 and 7 came later)."""

from __future__ import annotations

from pathlib import Path

from robot.core.exit_codes import SEVERITY, ExitCode, worst

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_exit_code_has_its_row_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Exit codes") :]
    for code in ExitCode:
        assert f"\n| {int(code)} |" in table, code
    assert "`PAGE_CHANGED`" in table and "`RECEIPTS_PENDING`" in table


def test_the_gravest_code_wins() -> None:
    assert set(SEVERITY) == set(ExitCode)
    assert worst() == ExitCode.OK
    assert worst(ExitCode.RECEIPTS_PENDING, ExitCode.OK) == ExitCode.RECEIPTS_PENDING
    assert worst(ExitCode.RECEIPTS_PENDING, ExitCode.ROWS_FAILED) == ExitCode.ROWS_FAILED
    assert worst(ExitCode.PAGE_CHANGED, ExitCode.PORTAL_UNAVAILABLE) == ExitCode.PAGE_CHANGED
    assert worst(ExitCode.STOPPED, ExitCode.RECEIPTS_PENDING, ExitCode.PAGE_CHANGED) == ExitCode.STOPPED
