"""`corobot serve`: the robot service (queue, inbox, schedule, under the state lock) plus the web console.

The console listens on 127.0.0.1 by default. Any other address makes it reachable from the network: then
at least one console account must exist (`corobot user add NAME`), else serve refuses to start (exit 2).
SIGTERM/Ctrl-C stop the service like `watch`: the run in progress stops cleanly, then the web server;
exit code 0, or 5 when a run had to be cut short. A second robot on the state folder: exit code 4.
"""

from __future__ import annotations

import socket
import sys
import threading

import uvicorn

from robot.console.app import Worklist, create_app
from robot.console.users import Users
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.portal import PortalWorkers
from robot.engine.lock import AlreadyRunning, InstanceLock
from robot.engine.stopping import install_stop_handlers
from robot.ops.service import RobotService

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SHUTDOWN_S = 15.0
"""How long serve waits for the run in progress (it stops within 10 s) and the web server at the end."""


def serve(settings: Settings, host: str, port: int, worklist: Worklist, every: str | None = None,
          cron: str | None = None, verbose: bool = False, workers: PortalWorkers | None = None) -> ExitCode:
    users = Users(settings.state_dir)
    if host not in LOOPBACK and not users.names():
        print(f"控制台将对网络开放（--host {host}），但还没有控制台账号，未启动。\n"
              f"请先在本机添加账号：corobot user add 名字（按提示输入密码），再启动 corobot serve。", file=sys.stderr)
        return ExitCode.INPUT_UNUSABLE
    try:
        service = RobotService(settings, every, cron, verbose, workers)
    except ValueError as error:  # a bad schedule
        print(str(error), file=sys.stderr)
        return ExitCode.INPUT_UNUSABLE
    install_stop_handlers()
    try:
        with InstanceLock(settings.state_dir):
            return _serve(settings, service, users, host, port, worklist)
    except AlreadyRunning as error:
        print(str(error), file=sys.stderr)
        return ExitCode.ANOTHER_INSTANCE


def _serve(settings: Settings, service: RobotService, users: Users, host: str, port: int,
           worklist: Worklist) -> ExitCode:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        print(f"无法在 {host}:{port} 上监听：{error}（端口被占用？用 --port 换一个）", file=sys.stderr)
        listener.close()
        return ExitCode.INPUT_UNUSABLE
    listener.listen(64)
    bound = listener.getsockname()[1]
    app = create_app(settings, service, users, worklist)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                           timeout_graceful_shutdown=5))
    web = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="corobot-console", daemon=True)
    service.start()
    web.start()
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(f"corobot 控制台：http://{shown}:{bound}/ （Ctrl-C 停止）", flush=True)
    if not users.names():
        print("还没有控制台账号：请运行 corobot user add 名字 添加后登录", flush=True)
    service.shutdown.wait()
    service.join(SHUTDOWN_S)
    server.should_exit = True
    web.join(SHUTDOWN_S)
    listener.close()
    return ExitCode.STOPPED if service.stopped_run else ExitCode.OK
