"""Runs a module as `python -m MODULE …` would (`python -m tests.support.hostile.measured robot validate FILE`) and, at
exit, writes the process's own peak RSS in KiB (VmHWM, reset at exec: unlike ru_maxrss it does not carry the
parent's peak over) to the file named by HOSTILE_RSS_FILE."""

from __future__ import annotations

import atexit
import os
import resource
import runpy
import sys
from pathlib import Path


def peak_kib() -> int:
    """This process's peak RSS since exec (VmHWM), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _report() -> None:
    target = os.environ.get("HOSTILE_RSS_FILE")
    if target:
        Path(target).write_text(str(peak_kib()))


if __name__ == "__main__":
    atexit.register(_report)
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
