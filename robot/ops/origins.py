"""Who started the work on a file content: a person in the web console (上传：name) — by SHA-256, so
that the console's 历史 can say it beside the journal's runs (which know the file, not the person).

A table of the store (robot.store: the state folder's SQLite file, or the database of `journal_url`);
runs without an entry came from the inbox or the command line.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from robot.store import using
from robot.store.db import reading, upsert, writing
from robot.store.schema import origins


class Origins:
    def __init__(self, state_dir: Path, url: str = "") -> None:
        self.state_dir = Path(state_dir)
        self.url = url

    def record(self, sha256: str, origin: str) -> None:
        row = {"sha256": sha256, "origin": origin, "at": datetime.now().astimezone().isoformat(timespec="seconds")}
        with using(self.url, self.state_dir) as engine, writing(engine) as conn:
            upsert(conn, origins, row, ("origin", "at"))

    def all(self) -> dict[str, str]:
        with using(self.url, self.state_dir) as engine, reading(engine) as conn:
            return {row.sha256: row.origin for row in conn.execute(select(origins.c.sha256, origins.c.origin))}
