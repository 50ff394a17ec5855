"""Commands that write a whole workbook (template, worklist, harvest) never replace an existing file
unless told to with --force: it may be a workbook someone has filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.commands.cli import main
from robot.core.exit_codes import ExitCode


def test_template_refuses_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filled = tmp_path / "清单.xlsx"
    filled.write_bytes(b"someone's work")
    assert main(["template", str(filled)]) == ExitCode.INPUT_UNUSABLE
    assert filled.read_bytes() == b"someone's work"
    assert "--force" in capsys.readouterr().err


def test_template_overwrites_with_force(tmp_path: Path) -> None:
    old = tmp_path / "清单.xlsx"
    old.write_bytes(b"old")
    assert main(["template", str(old), "--force"]) == ExitCode.OK
    assert old.read_bytes().startswith(b"PK")  # an .xlsx now


@pytest.mark.parametrize("command", ["worklist", "harvest"])
def test_portal_readers_refuse_before_touching_the_portal(tmp_path: Path, command: str) -> None:
    existing = tmp_path / "out.xlsx"
    existing.write_bytes(b"keep")
    assert main([command, str(existing)]) == ExitCode.INPUT_UNUSABLE
    assert existing.read_bytes() == b"keep"
