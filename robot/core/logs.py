"""Logging: one loguru file per run beside the report, plus terminal output that plays well with the
progress bar. Nothing logged here may contain a secret: settings are logged redacted."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from loguru import logger
from tqdm import tqdm

_LASTING: list[tuple[Callable[[Any], None], str]] = []
"""Sinks that stay across setup_logging calls (the web console's view of the log)."""
# Every sink has diagnose=False: a traceback never shows its variables' values (they hold passwords and
# database addresses).


def add_lasting_sink(sink: Callable[[Any], None], level: str = "INFO") -> None:
    """Adds a sink now and again after every later setup_logging (which replaces the other sinks)."""
    _LASTING.append((sink, level))
    logger.add(sink, level=level, format="{time:HH:mm:ss} {level: <7} {message}", colorize=False, diagnose=False)


def _terminal_sink(message: str) -> None:
    tqdm.write(message.rstrip("\n"), file=sys.stderr)


def setup_logging(log_file: Path | None, verbose: bool = False) -> None:
    """Terminal at INFO (DEBUG with verbose); the run's file at DEBUG."""
    logger.remove()
    logger.add(
        _terminal_sink,
        level="DEBUG" if verbose else "INFO",
        format="{time:HH:mm:ss} {level: <7} {message}",
        colorize=False,
        diagnose=False,
    )
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        logger.add(
            log_file,
            level="DEBUG",
            encoding="utf-8",
            enqueue=True,
            format="{time:YYYY-MM-DD HH:mm:ss.SSS} {level: <7} {message}",
            diagnose=False,
        )
    for sink, level in _LASTING:
        logger.add(sink, level=level, format="{time:HH:mm:ss} {level: <7} {message}", colorize=False, diagnose=False)


def progress(total: int, description: str) -> tqdm[NoReturn]:
    """A progress bar on the terminal (hidden when stderr is not a terminal)."""
    return tqdm(
        total=total, desc=description, unit="行", file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True
    )
