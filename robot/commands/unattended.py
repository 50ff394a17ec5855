"""The command handlers of unattended operation: `run` under the instance lock with notifications,
`watch`, `login` and `history` (argument parsing stays in robot.commands.cli)."""

from __future__ import annotations

import sys
from pathlib import Path

from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.logs import setup_logging
from robot.engine.lock import AlreadyRunning, InstanceLock
from robot.engine.stopping import install_stop_handlers


def locked_run(settings: Settings, request: object) -> int:
    """`corobot run`: one robot per state folder; SIGTERM/Ctrl-C stop cleanly; notify at the end."""
    from robot.commands.wiring import portal_workers
    from robot.engine.job import RunRequest, run_job
    from robot.ops.notice import RunNotice
    from robot.ops.notify import notify

    assert isinstance(request, RunRequest)
    install_stop_handlers()
    try:
        with InstanceLock(settings.state_dir):
            result = run_job(settings, request, workers=portal_workers)
    except AlreadyRunning as error:
        return _refused(error)
    notify(
        settings,
        RunNotice(
            request.workbook.name,
            int(result.exit_code),
            result.counts,
            result.report,
            note=result.note,
            accounts=result.accounts,
        ),
    )
    return int(result.exit_code)


def watch(settings: Settings, once: bool, every: str | None, cron: str | None, verbose: bool) -> int:
    from robot.commands.wiring import portal_workers
    from robot.ops.schedule import make_trigger
    from robot.ops.watch import WatchRequest, run_watch

    try:
        if not once:
            make_trigger(every or (None if cron else settings.watch_every), cron)  # bad schedule: say so now
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    install_stop_handlers()
    try:
        with InstanceLock(settings.state_dir):
            return int(run_watch(settings, WatchRequest(once, every, cron, verbose), portal_workers))
    except AlreadyRunning as error:
        return _refused(error)


def login(settings: Settings, headed: bool, cdp: str | None, verbose: bool, account: str | None = None) -> int:
    from robot.commands.login_cmd import run_login
    from robot.core.account_settings import chosen_accounts, default_account, settings_for

    setup_logging(None, verbose)
    accounts = chosen_accounts(settings, account)
    chosen = accounts[0] if account else default_account(accounts)
    if chosen is None:
        print(f"配置了多个账号：请用 --account 指定登录哪个（{'、'.join(a.label for a in accounts)}）", file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    settings = settings_for(settings, chosen)
    install_stop_handlers()
    try:
        with InstanceLock(settings.state_dir):
            return int(run_login(settings, headed, cdp))
    except AlreadyRunning as error:
        return _refused(error)


def history(state_dir: Path, last: int, account: str | None = None, url: str = "") -> int:
    from robot.engine.history import history_lines

    lines = history_lines(state_dir, last, account, url)
    print("\n".join(lines) if lines else f"{state_dir} 中还没有运行记录")
    return int(ExitCode.OK)


def _refused(error: AlreadyRunning) -> int:
    print(str(error), file=sys.stderr)
    return int(ExitCode.ANOTHER_INSTANCE)
