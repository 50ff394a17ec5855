"""Safe downloads: files only from the robot's own output folders, found from the journal or by a plain
file name; no path from a request is ever joined unchecked.

`inside(path, roots)` resolves a path (symlinks followed) and accepts it only when it is a file inside
one of the roots. `plain_name` accepts a bare file name (no separator, no `..`, not hidden).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

_PLAIN = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")


def plain_name(name: str) -> bool:
    return bool(_PLAIN.match(name)) and not name.startswith(".") and ".." not in name


def inside(path: Path | None, roots: list[Path]) -> Path | None:
    """The resolved file when it lies inside one of `roots`, else None."""
    if path is None:
        return None
    try:
        real = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    for root in roots:
        try:
            base = Path(root).resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real != base and real.is_relative_to(base) and (real.is_file() or real.is_dir()):
            return real
    return None


def zip_folder(folder: Path) -> Path:
    """The files of `folder` (not following links out of it) in a temporary .zip; the caller deletes it."""
    handle = tempfile.NamedTemporaryFile(prefix="corobot-", suffix=".zip", delete=False)
    handle.close()
    with zipfile.ZipFile(handle.name, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(folder.rglob("*")):
            if item.is_file() and not item.is_symlink():
                archive.write(item, item.relative_to(folder).as_posix())
    return Path(handle.name)
