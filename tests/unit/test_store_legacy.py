"""A state folder of the version before robot.store (journal.sqlite3 without alembic_version, the inbox
ledger, run origins and console accounts in files of their own) opens, is migrated, and keeps its rows."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from robot.console.users import Users, hash_password
from robot.engine.journal import Journal
from robot.ops.inbox_ledger import InboxLedger
from robot.ops.origins import Origins
from robot.store import open_engine
from robot.store.migrate import current, head

OLD_JOURNAL = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT, input_path TEXT NOT NULL,
    input_sha256 TEXT NOT NULL, dry_run INTEGER NOT NULL, counts TEXT, report_path TEXT, exit_code INTEGER,
    accounts TEXT NOT NULL DEFAULT ''
);
CREATE TABLE entries (
    key TEXT PRIMARY KEY, authority TEXT NOT NULL, cert_no TEXT NOT NULL, exported INTEGER NOT NULL,
    declaration_nos TEXT NOT NULL, state TEXT NOT NULL, status TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '', run_id INTEGER, updated_at TEXT NOT NULL,
    portal_url TEXT NOT NULL DEFAULT '', account TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entries_state ON entries(state);
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, run_id INTEGER, state TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '', at TEXT NOT NULL
);
CREATE INDEX events_key ON events(key);
INSERT INTO runs VALUES (7, '2026-11-30T09:00:00+08:00', '2026-11-30T09:05:00+08:00', 'in/清单.xlsx', 'ab12', 0,
    '{"成功": 1}', 'in/清单.结果.xlsx', 0, '["exporter1"]');
INSERT INTO entries VALUES ('http://portal.test|exporter1|customs|A1|1|N1', '海关', 'A1', 1, '["N1"]',
    'submitted', '海关接收成功', '', 7, '2026-11-30T09:04:00+08:00', 'http://portal.test', 'exporter1');
INSERT INTO entries VALUES ('http://portal.test|exporter1|ccpit|B2|0|', '贸促会', 'B2', 0, '[]',
    'intent', '', '', 7, '2026-11-30T09:04:30+08:00', 'http://portal.test', 'exporter1');
INSERT INTO events VALUES (1, 'http://portal.test|exporter1|customs|A1|1|N1', 7, 'intent', '', '',
    '2026-11-30T09:03:00+08:00');
INSERT INTO events VALUES (2, 'http://portal.test|exporter1|customs|A1|1|N1', 7, 'submitted', '海关接收成功', '',
    '2026-11-30T09:04:00+08:00');
"""

OLD_LEDGER = """
CREATE TABLE inbox_files (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL, placed TEXT NOT NULL,
    report TEXT, exit_code INTEGER, taken_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE inbox_reads (sha256 TEXT PRIMARY KEY, started_at TEXT NOT NULL);
CREATE TABLE inbox_retries (sha256 TEXT PRIMARY KEY, attempts INTEGER NOT NULL, due_at TEXT NOT NULL);
INSERT INTO inbox_files VALUES ('ab12', '清单.xlsx', 'done', 'inbox/done/清单.xlsx', 'inbox/done/清单.结果.xlsx', 0,
    '2026-11-30T09:00:00+08:00', '2026-11-30T09:05:00+08:00');
INSERT INTO inbox_reads VALUES ('cd34', '2026-11-30T10:00:00+08:00');
INSERT INTO inbox_retries VALUES ('ef56', 2, '2026-11-30T11:00:00+08:00');
"""

OLD_ORIGINS = """
CREATE TABLE origins (sha256 TEXT PRIMARY KEY, origin TEXT NOT NULL, at TEXT NOT NULL);
INSERT INTO origins VALUES ('ab12', '上传：张三', '2026-11-30T08:59:00+08:00');
"""


def old_state_folder(state: Path) -> None:
    state.mkdir(parents=True)
    for name, script in (
        ("journal.sqlite3", OLD_JOURNAL),
        ("inbox.sqlite3", OLD_LEDGER),
        ("console.sqlite3", OLD_ORIGINS),
    ):
        with sqlite3.connect(state / name) as db:
            db.executescript(script)
        db.close()
    (state / "console-users.json").write_text(json.dumps({"张三": hash_password("sehr-geheim-1")}), encoding="utf-8")


def test_an_old_state_folder_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    state = tmp_path / "state"
    old_state_folder(state)
    with Journal(state / "journal.sqlite3") as journal:
        (run,) = journal.runs()
        assert (run.id, run.counts, run.accounts, run.dry_run) == (7, {"成功": 1}, ("exporter1",), False)
        [intent] = journal.unfinished()
        assert (intent.cert_no, intent.exported, intent.account) == ("B2", False, "exporter1")
        done = journal.get("http://portal.test|exporter1|customs|A1|1|N1")
        assert done is not None and done.status == "海关接收成功" and done.declaration_nos == ("N1",)
        assert [e.state for e in journal.history(done.key)] == ["intent", "submitted"]
        assert journal.start_run(Path("in/新.xlsx"), "99", dry_run=False) == 8  # ids go on after the old ones
    with InboxLedger(state) as ledger:
        entry = ledger.get("ab12")
        assert entry is not None and (entry.state, entry.exit_code, entry.name) == ("done", 0, "清单.xlsx")
        assert ledger.was_reading("cd34") and ledger.retry_due("ef56")[0] == 2
    assert Origins(state).all() == {"ab12": "上传：张三"}
    assert Users(state).check("张三", "sehr-geheim-1") and Users(state).names() == ["张三"]
    # the old files are kept beside, renamed, so that they are taken over once only
    left = sorted(p.name for p in state.iterdir() if not p.name.startswith("journal.sqlite3"))
    assert left == ["console-users.json.migrated", "console.sqlite3.migrated", "inbox.sqlite3.migrated"]
    engine = open_engine(None, state)
    try:
        assert current(engine) == head()
    finally:
        engine.dispose()
