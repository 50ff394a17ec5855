"""The browser's processes: which ones this robot launched, and killing them when they stop answering.

Playwright starts the browser from its driver, a child of this process; on POSIX the browser's main
process leads a process group of its own (renderers, GPU and zygote processes inside it). A browser
that does not close in time — or is stopped (SIGSTOP) — is killed with its whole group; on Windows
with its process tree. A Chrome the robot attached to (--cdp) is never found here, so never killed.
"""

from __future__ import annotations

import contextlib
import os
import signal

import psutil
from loguru import logger


def _is_browser_main(process: psutil.Process) -> bool:
    """A browser's main process: a Chromium-family executable without a `--type=` (child role) switch."""
    try:
        name = process.name().lower()
        if not any(word in name for word in ("chrom", "msedge", "headless_shell")):
            return False
        return not any(arg.startswith("--type=") for arg in process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def launched_browsers() -> set[int]:
    """Pids of the browser main processes below this process (launched through Playwright's driver)."""
    try:
        children = psutil.Process(os.getpid()).children(recursive=True)
    except psutil.Error:
        return set()
    return {p.pid for p in children if _is_browser_main(p)}


def kill_browser(pid: int) -> None:
    """Kills a browser main process with its whole process group (POSIX) or process tree (Windows).
    Works on a stopped (SIGSTOP) browser too; a browser already gone is fine."""
    try:
        main = psutil.Process(pid)
        tree = [main, *main.children(recursive=True)]
    except psutil.Error:
        tree = []
    if os.name == "posix":
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == pid:  # Playwright made it a group leader: the group is the browser
                os.killpg(pid, signal.SIGKILL)
    for process in tree:
        with contextlib.suppress(psutil.Error):
            process.kill()
    logger.warning("已强制结束浏览器进程（pid {}，连同 {} 个子进程）", pid, max(0, len(tree) - 1))
