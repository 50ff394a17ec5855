"""The inbox side of a shared queue: a checked workbook's rows put into the queue (it waits in
processing/ meanwhile), and filed under done/ or failed/ once the host that finished its last row (this
one or another) has written its report."""

from __future__ import annotations

from pathlib import Path

from loguru import logger

from robot.books.account_column import assign_accounts
from robot.books.workbook_in import read_input
from robot.core.account_settings import accounts_of, find_account
from robot.core.exit_codes import ExitCode
from robot.ops.host import QueueHost
from robot.ops.host_report import folder_of
from robot.ops.inbox import FAILED, Inbox, write_note
from robot.ops.inbox_ledger import InboxLedger


def intake(host: QueueHost, workbook: Path, sha: str, account: str | None) -> ExitCode:
    """Reads the workbook in processing/ (already checked), gives its rows their accounts as `corobot run`
    does and queues the valid ones; the file stays in processing/ until its report is written."""
    parsed = read_input(workbook, settings=host.settings)
    accounts = accounts_of(host.settings)
    assign_accounts(parsed, accounts, find_account(accounts, account) if account else None)
    host.intake(workbook, sha, parsed, account)
    return ExitCode.OK


def file_finished(host: QueueHost, inbox: Inbox, ledger: InboxLedger, workbook: Path, sha: str) -> ExitCode:
    """Files a queued workbook of processing/ whose report is written; OK (and left there) until then."""
    book = host.finished(sha)
    if book is None:
        return ExitCode.OK
    code = ExitCode(book.exit_code or 0)
    folder = folder_of(code)
    placed, _ = inbox.file(workbook, folder)
    report = Path(book.report) if book.report else None
    if folder == FAILED:
        write_note(placed, f"有失败或未完成的行。每行的原因见主机 {book.finished_by} 写出的结果文件 {report}。")
    ledger.finish(sha, folder, placed, report, int(code))
    logger.info(
        "{} → {}（退出码 {}）；结果文件：{}（主机 {}）", workbook.name, placed, int(code), report, book.finished_by
    )
    return code
