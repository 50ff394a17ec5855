"""The inbox folder of `corobot watch`: which dropped files are ready, and filing them.

Layout (all inside the inbox): dropped files at the top, `processing/` for the file being run (and
one cut short by a crash, a stop or a portal outage, resumed first next time), `done/` for files
whose every row is done, `failed/` for everything that needs a person: a note `<name>.说明.txt`
says why, and the run's report, log and evidence sit beside the file.

A dropped file is ready once its size and modification time stayed the same for the settle time
and no Office/WPS/LibreOffice lock file (`~$…`, `.~lock.…#`) sits beside it.

Before a workbook in processing/ is run, `read_check` reads it once: a file that cannot be used (or whose
reading fails in any way) goes to failed/ with a note before the next file is touched. The read is marked
in the ledger while it runs; a mark found after a restart (the robot stopped while reading that file) makes
the file be read only in a child process under a memory ceiling (robot.books.probe), so a file that brought
the robot down cannot do it again: it goes to failed/ instead.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loguru import logger

from robot.books.probe import probe
from robot.books.workbook_in import read_input
from robot.core.config import Settings
from robot.core.errors import InputFileError
from robot.ops.inbox_ledger import InboxLedger

PROCESSING = "processing"
DONE = "done"
FAILED = "failed"
WORKBOOK_SUFFIX = ".xlsx"
NOTE_SUFFIX = ".说明.txt"
_COMPANION = re.compile(r"-结果-\d{8}-\d{6}")

Stat = tuple[int, int]


def _is_lock(name: str) -> bool:
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def _lock_target(name: str) -> str:
    """The (end of the) file name a lock file stands for: Word shortens long names, Excel does not."""
    return name[len(".~lock.") : -1] if name.startswith(".~lock.") else name[2:]


@dataclass(frozen=True)
class Inbox:
    root: Path

    def folder(self, name: str) -> Path:
        return self.root / name

    def prepare(self) -> None:
        for name in (PROCESSING, DONE, FAILED):
            self.folder(name).mkdir(parents=True, exist_ok=True)

    def snapshot(self) -> dict[Path, Stat]:
        """Size and mtime of each candidate file at the top of the inbox (hidden and lock files left out)."""
        found: dict[Path, Stat] = {}
        for path in self.root.iterdir():
            if path.name.startswith(".") or _is_lock(path.name):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[path] = (stat.st_size, stat.st_mtime_ns)
        return found

    def locked(self, path: Path) -> bool:
        """True when an office program's lock file beside `path` says it is still open."""
        targets = [_lock_target(p.name) for p in path.parent.iterdir() if _is_lock(p.name)]
        return any(t and (path.name == t or (len(t) >= 4 and path.name.endswith(t))) for t in targets)

    def ready(self, before: dict[Path, Stat], after: dict[Path, Stat]) -> list[Path]:
        """Files unchanged between two snapshots and not open in an office program, oldest first."""
        stable = [p for p, stat in after.items() if before.get(p) == stat and not self.locked(p)]
        return sorted(stable, key=lambda p: (after[p][1], p.name))

    def leftovers(self) -> list[Path]:
        """Workbooks in processing/ (a run cut short), oldest first; reports and hidden files left out."""
        folder = self.folder(PROCESSING)
        books = [
            p
            for p in folder.glob(f"*{WORKBOOK_SUFFIX}")
            if p.is_file() and not p.name.startswith((".", "~$")) and not _COMPANION.search(p.stem)
        ]
        return sorted(books, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def claim(self, path: Path) -> Path | None:
        """Moves a ready file into processing/; None when it cannot be moved yet (still open on Windows)."""
        target = unique(self.folder(PROCESSING), path.name)
        try:
            os.replace(path, target)
        except PermissionError:
            return None
        return target

    def file(self, workbook: Path, folder: str) -> tuple[Path, dict[Path, Path]]:
        """Moves a workbook from processing/ to `folder` with its companions (report, log, evidence
        folder, notes); returns its new path and a map old path → new path of every companion."""
        dest = self.folder(folder)
        dest.mkdir(parents=True, exist_ok=True)
        moved: dict[Path, Path] = {}
        for companion in sorted(workbook.parent.glob(f"{glob_escape(workbook.stem)}-结果-*")):
            target = unique(dest, companion.name)
            shutil.move(str(companion), str(target))
            moved[companion] = target
        new = unique(dest, workbook.name)
        shutil.move(str(workbook), str(new))
        return new, moved

    def reject(self, path: Path, reason: str) -> Path:
        """Moves a file that will not be run to failed/ with a note saying why."""
        target = unique(self.folder(FAILED), path.name)
        shutil.move(str(path), str(target))
        write_note(target, reason)
        return target


UNUSABLE_ADVICE = "请按 corobot template 生成的模板修改后重新放入收件箱。"


def read_check(workbook: Path, settings: Settings, ledger: InboxLedger, sha: str) -> str | None:
    """Why the workbook in processing/ cannot be run (the note for failed/), or None when it reads."""
    if ledger.was_reading(sha):
        logger.warning("{}：上次读取时 corobot 中途停止，这次在子进程中读取", workbook.name)
        verdict, detail = probe(workbook, settings)
        ledger.done_reading(sha)
        if verdict == "crashed":
            return (
                f"输入文件无法读取：上次读取此文件时 corobot 中途停止，这次单独读取时{detail}。"
                f"文件可能已损坏或是恶意构造的，未处理。{UNUSABLE_ADVICE}"
            )
        if verdict == "refused":
            return f"输入文件无法使用：{detail}\n{UNUSABLE_ADVICE}"
    ledger.start_reading(sha)
    try:
        read_input(workbook, settings=settings)
    except InputFileError as error:
        return f"输入文件无法使用：{error}\n{UNUSABLE_ADVICE}"
    except Exception as error:  # whatever the reader meets, watch and serve go on with the next file
        logger.opt(exception=error).error("读取 {} 时出错", workbook.name)
        return f"输入文件无法读取（{type(error).__name__}），未处理。{UNUSABLE_ADVICE}"
    finally:
        ledger.done_reading(sha)
    return None


def write_note(placed: Path, text: str) -> Path:
    """`<name>.说明.txt` beside `placed` (UTF-8 with BOM so that Notepad shows the Chinese)."""
    note = placed.with_name(placed.name + NOTE_SUFFIX)
    note.write_text(text.rstrip() + "\n", encoding="utf-8-sig")
    return note


def unique(folder: Path, name: str) -> Path:
    """`folder/name`, or with `-<YYYYMMDD-HHMMSS>` (and a counter) before the suffix when taken."""
    target = folder / name
    if not target.exists():
        return target
    stem, suffix = Path(name).stem, Path(name).suffix
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    for n in range(1, 1000):
        target = folder / (f"{stem}-{stamp}{suffix}" if n == 1 else f"{stem}-{stamp}-{n}{suffix}")
        if not target.exists():
            return target
    raise FileExistsError(folder / name)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
