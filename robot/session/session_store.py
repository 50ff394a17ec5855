"""The saved login: Playwright storage state (cookies, local storage) in `<state_dir>/session.json`
(one file per account: `session-<name>.json` for each `[accounts.<name>]`).

Written atomically with file mode 0600 (owner only; it is as good as a password while the portal
session lives), never logged, never committed (.gitignore ignores data/state/*). A stale or broken
file is harmless: the portal sends the robot to its login page and the robot logs in again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from loguru import logger

SESSION_NAME = "session.json"


def session_path(state_dir: Path, account: str = "") -> Path:
    """The saved login of `account` (an `[accounts.<name>]` name): `session-<name>.json`; the single
    account of today's configuration keeps `session.json`."""
    return Path(state_dir) / (f"session-{account}.json" if account else SESSION_NAME)


def load_session(path: Path) -> dict[str, Any] | None:
    """The saved storage state, or None when there is none or it cannot be read."""
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        logger.warning("保存的登录状态无法读取，将重新登录：{}", type(error).__name__)
        return None
    return state if isinstance(state, dict) and "cookies" in state else None


def save_session(path: Path, state: dict[str, Any]) -> None:
    """Writes the storage state readable by its owner only (0600), replacing the old file atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state, fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    logger.debug("login state saved ({} cookies)", len(state.get("cookies", [])))
