"""Finds the browser to drive: Playwright's Chromium, else Chrome/Edge, else /usr/bin/chromium.

`python -m robot.session.browser_path` prints the chosen executable (empty output and exit 1 when none).
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
from pathlib import Path

LAUNCH_ARGS: list[str] = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

_CHROME_CANDIDATES: list[str] = [
    "/opt/google/chrome/chrome",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/microsoft/msedge/msedge",
    "/usr/bin/microsoft-edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
]


def _playwright_chromium() -> str | None:
    """The newest Chromium build Playwright installed (its folders are named chromium-<build>)."""
    default = (
        Path(os.environ.get("LOCALAPPDATA", "")) / "ms-playwright"
        if sys.platform == "win32"
        else Path.home() / ".cache" / "ms-playwright"
    )
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or default)
    patterns = ["chromium-*/chrome-linux*/chrome", "chromium-*/chrome-win*/chrome.exe"]
    for pattern in patterns:
        hits = sorted(glob.glob(str(root / pattern)), key=_build, reverse=True)
        if hits:
            return hits[0]
    return None


def _build(executable: str) -> int:
    """chromium-1187 → 1187 (a string sort would put chromium-999 above chromium-1187)."""
    digits = Path(executable).parents[1].name.removeprefix("chromium-")
    return int(digits) if digits.isdigit() else -1


def find_browser() -> str | None:
    """Returns the executable path of the browser corobot will launch, or None."""
    override = os.environ.get("CO_BROWSER")
    if override and Path(override).exists():
        return override
    own = _playwright_chromium()
    if own:
        return own
    for candidate in _CHROME_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    for name in ("chromium", "chromium-browser"):
        hit = shutil.which(name)
        if hit:
            return hit
    return None


def main() -> int:
    path = find_browser()
    if path:
        print(path)
        return 0
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
