"""End to end: `corobot watch --once` on an inbox holding a valid workbook, an unusable one, a file that
is not a workbook, and one still open in Excel; then the same content dropped again; history; the lock;
the 企业微信 webhook and the mail received by local receivers."""

from __future__ import annotations

import email.header
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from robot.commands.demo import mock_portal
from robot.core.exit_codes import ExitCode
from robot.engine.lock import InstanceLock
from tests.support.receivers import HookReceiver, SmtpReceiver
from tests.support.watch import cli_env, corobot, sample, submitted

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral, pytest.mark.timeout(900)]  # see tests/e2e/conftest.py
HOOK_KEY = "wecom-key-0123456789"


@dataclass
class Dropped:
    url: str
    workdir: Path
    certs: list[str]
    first: subprocess.CompletedProcess[str]
    hook: HookReceiver
    smtp: SmtpReceiver

    @property
    def inbox(self) -> Path:
        return self.workdir / "inbox"


@pytest.fixture(scope="module")
def dropped(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dropped]:
    workdir = tmp_path_factory.mktemp("watch")
    inbox = workdir / "inbox"
    with mock_portal("--receipt-delay", "1") as url, HookReceiver() as hook, SmtpReceiver() as smtp:
        certs = sample(url, inbox / "有效.xlsx", 0, 5)
        (inbox / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
        (inbox / "说明.txt").write_text("这不是工作簿", encoding="utf-8")
        (inbox / "写入中.xlsx").write_bytes(b"PK\x03\x04 half")
        (inbox / "~$写入中.xlsx").write_bytes(b"owner")  # Excel still has it open
        notify = {
            "CO_WEBHOOK_URL": f"{hook.url}/cgi-bin/webhook/send?key={HOOK_KEY}",
            "CO_WEBHOOK_FORMAT": "wecom",
            "CO_SMTP_HOST": "127.0.0.1",
            "CO_SMTP_PORT": str(smtp.port),
            "CO_SMTP_SECURITY": "none",
            "CO_MAIL_FROM": "robot@example.com",
            "CO_MAIL_TO": "ops@example.com",
        }
        proc = corobot(cli_env(url, workdir, **notify), "watch", "--once")
        out, err = proc.communicate(timeout=600)
        yield Dropped(
            url, workdir, certs, subprocess.CompletedProcess(proc.args, proc.returncode, out, err), hook, smtp
        )


def _detail_results(report: Path) -> list[str]:
    rows = list(load_workbook(report)["明细"].iter_rows(values_only=True))
    return [str(r[rows[0].index("处理结果")]) for r in rows[1:]]


def test_valid_file_is_done_with_its_report_beside_it(dropped: Dropped) -> None:
    done = dropped.inbox / "done"
    assert (done / "有效.xlsx").exists()
    reports = list(done.glob("有效-结果-*.xlsx"))
    assert len(reports) == 1 and _detail_results(reports[0]) == ["成功"] * 5


def test_unusable_workbook_is_failed_with_a_note(dropped: Dropped) -> None:
    failed = dropped.inbox / "failed"
    assert (failed / "损坏.xlsx").exists()
    assert "输入文件无法使用" in (failed / "损坏.xlsx.说明.txt").read_text(encoding="utf-8-sig")


def test_other_file_is_failed_with_a_note(dropped: Dropped) -> None:
    note = dropped.inbox / "failed" / "说明.txt.说明.txt"
    assert "不是 .xlsx" in note.read_text(encoding="utf-8-sig")


def test_file_still_open_stays_in_the_inbox(dropped: Dropped) -> None:
    assert (dropped.inbox / "写入中.xlsx").exists()
    assert not list((dropped.inbox / "processing").iterdir())


def test_exit_code_is_the_highest_of_the_files(dropped: Dropped) -> None:
    assert dropped.first.returncode == ExitCode.INPUT_UNUSABLE, dropped.first.stderr[-2000:]


def test_each_row_submitted_once(dropped: Dropped) -> None:
    assert submitted(dropped.url) == {cert: 1 for cert in dropped.certs}


def test_same_content_again_is_reported_not_run(dropped: Dropped) -> None:
    shutil.copy(dropped.inbox / "done" / "有效.xlsx", dropped.inbox / "又一次.xlsx")
    proc = corobot(cli_env(dropped.url, dropped.workdir), "watch", "--once")
    assert proc.wait(timeout=400) == ExitCode.ROWS_FAILED
    note = (dropped.inbox / "failed" / "又一次.xlsx.说明.txt").read_text(encoding="utf-8-sig")
    assert "有效.xlsx" in note and "内容完全相同" in note
    assert submitted(dropped.url) == {cert: 1 for cert in dropped.certs}


def test_history_lists_the_run_with_its_report(dropped: Dropped) -> None:
    proc = corobot(cli_env(dropped.url, dropped.workdir), "history", "--last", "5")
    out, _ = proc.communicate(timeout=60)
    assert "有效.xlsx" in out and "成功5" in out
    assert str(dropped.inbox / "done" / "有效-结果-") in out


def test_second_robot_on_the_same_state_folder_exits_at_once(dropped: Dropped) -> None:
    with InstanceLock(dropped.workdir / "state"):
        proc = corobot(cli_env(dropped.url, dropped.workdir), "watch", "--once")
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.ANOTHER_INSTANCE
    assert "另一个 corobot" in err


def test_wecom_webhook_gets_each_files_summary(dropped: Dropped) -> None:
    contents = [body["markdown"]["content"] for _, body in dropped.hook.posts if body["msgtype"] == "markdown"]
    valid = [c for c in contents if "有效.xlsx" in c]
    assert len(valid) == 1 and "成功 5" in valid[0] and "done/有效.xlsx" in valid[0]
    assert any("损坏.xlsx" in c and "输入文件无法使用" in c for c in contents)


def test_mail_brings_the_report(dropped: Dropped) -> None:
    mails = [
        m
        for m in dropped.smtp.messages
        if "有效.xlsx" in str(email.header.make_header(email.header.decode_header(m["Subject"])))
    ]
    assert len(mails) == 1 and mails[0]["To"] == "ops@example.com"
    attached = [p.get_filename() for p in mails[0].walk() if p.get_filename()]
    assert len(attached) == 1 and attached[0].startswith("有效-结果-") and attached[0].endswith(".xlsx")


def test_webhook_key_is_never_logged(dropped: Dropped) -> None:
    logs = [p.read_text(encoding="utf-8") for p in dropped.workdir.rglob("*.log")]
    assert logs and all(HOOK_KEY not in text for text in [*logs, dropped.first.stderr, dropped.first.stdout])
