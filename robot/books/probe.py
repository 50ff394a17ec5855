"""Reading an input workbook in a child process under a memory ceiling: `python -m robot.books.probe FILE
[LIMITS-JSON]` exits 0 when it reads, 2 when it is refused (the reason on stderr), anything else (or a
signal) when reading it crashed. `probe` runs it and says which.

The watch/serve inbox uses it for a workbook whose earlier read never finished (the robot stopped while
reading it): such a file is never read again inside the robot's own process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from robot.core.config import Settings

MEMORY_CEILING = 1 << 30
"""Address space of the child (1 GiB): a read that would need more fails there, not in the robot."""
PROBE_TIMEOUT_S = 120.0
LIMIT_NAMES = ("max_rows", "max_columns", "max_cell_chars", "max_unpacked_mb", "max_text_chars")


def probe(path: Path, settings: Settings | None = None, timeout: float = PROBE_TIMEOUT_S) -> tuple[str, str]:
    """('ok' | 'refused' | 'crashed', detail) of reading `path` in a child process."""
    s = settings or Settings()
    limits = json.dumps({name: getattr(s, name) for name in LIMIT_NAMES})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "robot.books.probe", str(path), limits],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "crashed", f"读取超过 {timeout:.0f} 秒仍未完成"
    if done.returncode == 0:
        return "ok", ""
    if done.returncode == 2:
        return "refused", done.stderr.strip()[-2000:]
    how = f"信号 {-done.returncode}" if done.returncode < 0 else f"退出码 {done.returncode}"
    return "crashed", f"读取进程异常结束（{how}）"


def _ceiling() -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > MEMORY_CEILING:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, hard))


def main(argv: list[str]) -> int:
    from loguru import logger

    from robot.books.workbook_in import read_input
    from robot.core.errors import InputFileError

    logger.remove()
    _ceiling()
    limits = json.loads(argv[1]) if len(argv) > 1 else {}
    settings = replace(Settings(), **{k: v for k, v in limits.items() if k in LIMIT_NAMES})
    try:
        read_input(Path(argv[0]), settings=settings)
    except InputFileError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
