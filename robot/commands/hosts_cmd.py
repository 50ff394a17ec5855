"""`corobot hosts`: the hosts of the shared queue (name, accounts, last heartbeat, rows in flight) and its
latest workbooks."""

from __future__ import annotations

import sys

from sqlalchemy.exc import SQLAlchemyError

from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.ops.host_view import hosts_report


def hosts(settings: Settings, last: int) -> int:
    try:
        lines = hosts_report(settings, last)
    except SQLAlchemyError:
        print("共享数据库无法连接：请检查 journal_url 与数据库服务器", file=sys.stderr)
        return int(ExitCode.PORTAL_UNAVAILABLE)
    print("\n".join(lines))
    return int(ExitCode.OK)
