-- A journal written by corobot before several accounts (main at 8079521), dumped with sqlite3 iterdump.
BEGIN TRANSACTION;
CREATE TABLE entries (
    key TEXT PRIMARY KEY,
    authority TEXT NOT NULL,
    cert_no TEXT NOT NULL,
    exported INTEGER NOT NULL,
    declaration_nos TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    run_id INTEGER,
    updated_at TEXT NOT NULL
);
INSERT INTO "entries" VALUES('customs|A261026902331080|1|610120260000012345','海关','A261026902331080',1,'["610120260000012345"]','submitted','海关接收成功','',1,'2026-11-30T09:09:58+00:00');
INSERT INTO "entries" VALUES('ccpit|26C6101A0001/00012|0|','贸促会','26C6101A0001/00012',0,'[]','intent','','',1,'2026-11-30T09:09:58+00:00');
INSERT INTO "entries" VALUES('customs|A261026902331081|1|610120260000012346','海关','A261026902331081',1,'["610120260000012346"]','failed','','报关单不存在',1,'2026-11-30T09:09:58+00:00');
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    run_id INTEGER,
    state TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
INSERT INTO "events" VALUES(1,'customs|A261026902331080|1|610120260000012345',1,'intent','','','2026-11-30T09:09:58+00:00');
INSERT INTO "events" VALUES(2,'customs|A261026902331080|1|610120260000012345',1,'submitted','已申报','','2026-11-30T09:09:58+00:00');
INSERT INTO "events" VALUES(3,'customs|A261026902331080|1|610120260000012345',1,'submitted','海关接收成功','','2026-11-30T09:09:58+00:00');
INSERT INTO "events" VALUES(4,'ccpit|26C6101A0001/00012|0|',1,'intent','','','2026-11-30T09:09:58+00:00');
INSERT INTO "events" VALUES(5,'customs|A261026902331081|1|610120260000012346',1,'failed','','报关单不存在','2026-11-30T09:09:58+00:00');
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    input_path TEXT NOT NULL,
    input_sha256 TEXT NOT NULL,
    dry_run INTEGER NOT NULL,
    counts TEXT,
    report_path TEXT,
    exit_code INTEGER
);
INSERT INTO "runs" VALUES(1,'2026-11-30T09:09:58+00:00','2026-11-30T09:09:58+00:00','清单.xlsx','0000000000000000000000000000000000000000000000000000000000000000',0,'{"成功": 1, "失败": 1, "合计": 3}','清单-结果.xlsx',1);
CREATE INDEX entries_state ON entries(state);
CREATE INDEX events_key ON events(key);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('runs',1);
INSERT INTO "sqlite_sequence" VALUES('events',5);
COMMIT;
