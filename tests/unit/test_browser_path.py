"""Which browser corobot drives: Playwright's newest Chromium build wins over older ones."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from robot.session.browser_path import find_browser


@pytest.mark.skipif(sys.platform == "win32", reason="Linux folder layout")
def test_newest_playwright_build_is_chosen_by_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for build in ("999", "1187", "1020"):
        exe = tmp_path / f"chromium-{build}" / "chrome-linux" / "chrome"
        exe.parent.mkdir(parents=True)
        exe.write_text("")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.delenv("CO_BROWSER", raising=False)
    assert find_browser() == str(tmp_path / "chromium-1187" / "chrome-linux" / "chrome")
