"""`corobot worklist`: approved certificates without a successful 补录 yet, as a pre-filled input workbook.

Staff fill in only 是否实际出口 and 报关单号 and drop it back: it is a valid input as it stands.
Certificates whose latest 补录 is 已申报 (waiting for 海关接收) are left out so nothing is sent twice.
Every row says its 账号 (all configured accounts, or `--account NAME`), so the filled-in workbook goes
back to the right account.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from loguru import logger

from robot.books.template import write_prefilled
from robot.commands.wiring import portal_worker
from robot.core.account_settings import accounts_of, settings_for
from robot.core.accounts import Account
from robot.core.config import Settings
from robot.core.errors import LoginFailed, PortalSystemError
from robot.core.exit_codes import ExitCode
from robot.core.logs import progress, setup_logging
from robot.core.model import STATUS_ACCEPTED, STATUS_DECLARED, Authority
from robot.engine.portal_job import connected_worker

PREFILLED = ("签证机构", "证明号", "出口商代码", "证明类型", "证明创建日期")


def run_worklist(
    settings: Settings,
    out: Path,
    authority: Authority | None,
    date_from: date | None,
    date_to: date | None,
    exporter: str | None,
    verbose: bool = False,
    accounts: list[Account] | None = None,
) -> ExitCode:
    setup_logging(out.with_suffix(".log"), verbose)
    rows: list[dict[str, str]] = []
    try:
        for account in accounts or accounts_of(settings):
            found = asyncio.run(_collect(settings_for(settings, account), authority, date_from, date_to, exporter))
            rows.extend({**row, "账号": account.label} for row in found)
    except (LoginFailed, PortalSystemError) as error:
        logger.error("门户无法操作：{}", error)
        return ExitCode.PORTAL_UNAVAILABLE
    write_prefilled(out, rows)
    logger.info("待补录清单：{} 个证书，已写入 {}（请填写 是否实际出口 和 报关单号）", len(rows), out)
    return ExitCode.OK


async def _collect(
    settings: Settings, authority: Authority | None, date_from: date | None, date_to: date | None, exporter: str | None
) -> list[dict[str, str]]:
    wanted: list[dict[str, str]] = []
    async with connected_worker(settings, portal_worker) as worker:
        for which in [authority] if authority else list(Authority):
            with progress(0, f"{which.value}证书") as bar:
                async for certs in worker.certificates(which, exporter, date_from, date_to):
                    wanted.extend(
                        {k: c[k] for k in PREFILLED}
                        for c in certs
                        if c["补录状态"] not in (STATUS_ACCEPTED, STATUS_DECLARED)
                    )
                    bar.update(len(certs))
    return wanted
