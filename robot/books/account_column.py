"""Which account works each input row: the 账号 column (alias `account`), else the run's account
(`--account NAME`, or the inbox subfolder `inbox/<name>/`), else the default account.

A row naming an account that is not configured, or with none when several are configured and none is
`default`, is rejected (row, column, value, reason) before any browser starts.
"""

from __future__ import annotations

from robot.books import columns as C
from robot.core.account_settings import default_account, find_account
from robot.core.accounts import Account
from robot.core.model import InputRow, InputWorkbook, Rejection


def account_header(book: InputWorkbook) -> str | None:
    """The header of the 账号 column as written, or None when the workbook has none."""
    return next((h for h in book.headers if C.match_header(h) is C.ACCOUNT), None)


def assign_accounts(book: InputWorkbook, accounts: list[Account], run_account: Account | None = None) -> None:
    """Sets each row's account label; rows whose account is unknown or missing become invalid."""
    header = account_header(book)
    column = header or C.ACCOUNT.header
    fallback = run_account or default_account(accounts)
    known = "、".join(a.label for a in accounts)
    for row in book.rows:
        text = row.values.get(header, "").strip() if header else ""
        if text:
            account = find_account(accounts, text)
            if account is None:
                _reject(row, Rejection(row.row, column, text, f"未配置的账号（已配置：{known}）"))
        else:
            account = fallback
            if account is None:
                _reject(
                    row,
                    Rejection(
                        row.row,
                        column,
                        "",
                        f"请填写账号：配置了多个账号且没有 default，可填 {known}，或运行时用 --account 指定",
                    ),
                )
        if account is not None:
            row.account = account.label


def _reject(row: InputRow, rejection: Rejection) -> None:
    row.rejections.append(rejection)
    row.task = None
