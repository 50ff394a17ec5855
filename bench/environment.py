"""What a benchmark ran on: CPU, memory, OS, Python, Playwright, the browser's version and the code's commit."""

from __future__ import annotations

import os
import platform
import subprocess
from typing import Any


def describe() -> dict[str, Any]:
    from importlib import metadata

    from robot.session.browser_path import find_browser

    browser = find_browser() or ""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(_mem_total_kib() / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "playwright": metadata.version("playwright"),
        "browser": browser,
        "browser_version": _version(browser),
        "commit": _commit(),
    }


def _commit() -> str:
    """The measured code's git commit (+ "-dirty" with uncommitted changes), or "?" outside a checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=20)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return "?"
    if head.returncode != 0:
        return "?"
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _mem_total_kib() -> int:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _version(executable: str) -> str:
    if not executable:
        return "?"
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20)
        return out.stdout.strip() or out.stderr.strip()[:80]
    except (OSError, subprocess.SubprocessError):
        return "?"
