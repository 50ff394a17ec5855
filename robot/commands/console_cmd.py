"""The command handlers of the web console: `corobot serve` and `corobot user add|passwd NAME`."""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path

from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.model import Authority


def serve(
    settings: Settings,
    host: str,
    port: int,
    every: str | None,
    cron: str | None,
    verbose: bool,
    proxy: str = "",
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
) -> int:
    from robot.commands.wiring import portal_workers
    from robot.commands.worklist import run_worklist
    from robot.console.server import Listen
    from robot.console.server import serve as serve_console

    def worklist(out: Path, authority: Authority | None, start: date | None, end: date | None) -> ExitCode:
        return run_worklist(settings, out, authority, start, end, None, verbose)

    listen = Listen(host, port, proxy, tls_cert, tls_key)
    return int(serve_console(settings, listen, worklist, every, cron, verbose, portal_workers))


def user(settings: Settings, action: str, name: str, password_stdin: bool) -> int:
    from robot.console.users import Users

    users = Users(settings.state_dir, settings.journal_url)
    if action == "add" and users.exists(name):
        print(f"控制台账号 {name} 已存在；修改密码请用 corobot user passwd {name}", file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    if action == "passwd" and not users.exists(name):
        print(f"没有控制台账号 {name}；添加请用 corobot user add {name}", file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"{name} 的密码：")
        if getpass.getpass("再输入一次：") != password:
            print("两次输入的密码不一致，未修改", file=sys.stderr)
            return int(ExitCode.INPUT_UNUSABLE)
    try:
        users.set_password(name, password)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    print(f"已{'添加控制台账号' if action == 'add' else '修改密码：'} {name}（保存在 {users.path}）")
    return int(ExitCode.OK)
