"""Runs `corobot validate` on many files in one child process (`python -m tests.support.hostile.batch MANIFEST`):
the manifest is a JSON list of {name, path, args}; for each file a line `{"start": name}` is printed before
and a result line after (exit code, output, CPU and wall seconds, peak RSS so far). A file that kills the
process is the one started last. The CLI's own `main` is called, as `corobot validate` would."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path

from tests.support.hostile.measured import peak_kib


def peak_rss_mib() -> float:
    return peak_kib() / 1024


def validate(path: str, args: list[str]) -> tuple[int, str]:
    from robot.commands.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", path, *args])
    return int(code), out.getvalue() + err.getvalue()


def run(manifest: Path) -> None:
    for item in json.loads(manifest.read_text(encoding="utf-8")):
        print(json.dumps({"start": item["name"]}), flush=True)
        cpu, wall = time.process_time(), time.perf_counter()
        code, output = validate(item["path"], item["args"])
        print(
            json.dumps(
                {
                    "name": item["name"],
                    "code": code,
                    "output": output[-200_000:],
                    "size": len(output),
                    "cpu_s": time.process_time() - cpu,
                    "wall_s": time.perf_counter() - wall,
                    "rss_mib": peak_rss_mib(),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )


if __name__ == "__main__":
    run(Path(sys.argv[1]))
