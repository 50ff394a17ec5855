"""`corobot serve`: the robot service (queue, inbox, schedule, under the state lock) plus the web console.

The console listens on 127.0.0.1 by default. Any other address makes it reachable from the network: then
at least one console account must exist (`corobot user add NAME`), else serve refuses to start (exit 2),
and serve warns — above all when it would serve plain HTTP. `--tls-cert FILE --tls-key FILE` serve HTTPS
(uvicorn's ssl_certfile/ssl_keyfile; the session cookie is then Secure). `X-Forwarded-For` and
`X-Forwarded-Proto` are ignored unless `--proxy ADDRESSES` names the reverse proxy sending them (uvicorn's
proxy_headers/forwarded_allow_ips); the login limits count the address the connection comes from.
SIGTERM/Ctrl-C stop the service like `watch`: the run in progress stops cleanly, then the web server;
exit code 0, or 5 when a run had to be cut short. A second robot on the state folder: exit code 4.
"""

from __future__ import annotations

import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from robot.console.app import create_app
from robot.console.state import Worklist
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


@dataclass(frozen=True)
class Listen:
    """Where and how the console is served."""

    host: str = "127.0.0.1"
    port: int = 8765
    proxy: str = ""
    """Addresses of the reverse proxy whose forwarded headers are believed (comma-separated); "" = none."""
    tls_cert: Path | None = None
    tls_key: Path | None = None

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None


def serve(
    settings: Settings,
    listen: Listen,
    worklist: Worklist,
    every: str | None = None,
    cron: str | None = None,
    verbose: bool = False,
    workers: PortalWorkers | None = None,
) -> ExitCode:
    users = Users(settings.state_dir, settings.journal_url)
    refusal = _refusal(listen, users)
    if refusal:
        print(refusal, file=sys.stderr)
        return ExitCode.INPUT_UNUSABLE
    try:
        service = RobotService(settings, every, cron, verbose, workers)
    except ValueError as error:  # a bad schedule
        print(str(error), file=sys.stderr)
        return ExitCode.INPUT_UNUSABLE
    install_stop_handlers()
    try:
        with InstanceLock(settings.state_dir):
            return _serve(settings, service, users, listen, worklist)
    except AlreadyRunning as error:
        print(str(error), file=sys.stderr)
        return ExitCode.ANOTHER_INSTANCE


def _refusal(listen: Listen, users: Users) -> str:
    """Why serve must not start with these options ("" = it may)."""
    if (listen.tls_cert is None) != (listen.tls_key is None):
        return "--tls-cert 和 --tls-key 需要一起给出（证书文件和私钥文件）"
    for path in (listen.tls_cert, listen.tls_key):
        if path is not None and not path.is_file():
            return f"找不到 TLS 文件：{path}"
    if listen.host not in LOOPBACK and not users.names():
        return (
            f"控制台将对网络开放（--host {listen.host}），但还没有控制台账号，未启动。\n"
            f"请先在本机添加账号：corobot user add 名字（按提示输入密码），再启动 corobot serve。"
        )
    return ""


def warnings_for(settings: Settings, listen: Listen) -> list[str]:
    if listen.host in LOOPBACK:
        return []
    lines = [f"警告：控制台对网络开放（--host {listen.host}），办公网内的电脑都能打开登录页。"]
    if not listen.tls:
        lines.append(
            "警告：未启用 HTTPS，密码和会话以明文传输。请用 --tls-cert/--tls-key，"
            "或放在 HTTPS 反向代理之后（--proxy 代理地址）。"
        )
    if not settings.console_hosts:
        lines.append("提示：浏览器里输入的名字或地址需写进设置 console_hosts，否则会被拒绝（防 DNS 重绑定）。")
    return lines


def _serve(settings: Settings, service: RobotService, users: Users, listen: Listen, worklist: Worklist) -> ExitCode:
    family = socket.AF_INET6 if ":" in listen.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((listen.host, listen.port))
    except OSError as error:
        print(f"无法在 {listen.host}:{listen.port} 上监听：{error}（端口被占用？用 --port 换一个）", file=sys.stderr)
        listener.close()
        return ExitCode.INPUT_UNUSABLE
    listener.listen(64)
    bound = listener.getsockname()[1]
    app = create_app(settings, service, users, worklist, host=listen.host, secure=listen.tls)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
            proxy_headers=bool(listen.proxy),
            forwarded_allow_ips=listen.proxy or "",
            ssl_certfile=listen.tls_cert,
            ssl_keyfile=listen.tls_key,
        )
    )
    web = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="corobot-console", daemon=True)
    service.start()
    web.start()
    shown = f"[{listen.host}]" if family == socket.AF_INET6 else listen.host
    print(f"corobot 控制台：{'https' if listen.tls else 'http'}://{shown}:{bound}/ （Ctrl-C 停止）", flush=True)
    for line in warnings_for(settings, listen):
        print(line, file=sys.stderr, flush=True)
    if not users.names():
        print("还没有控制台账号：请运行 corobot user add 名字 添加后登录", flush=True)
    service.shutdown.wait()
    service.join(SHUTDOWN_S)
    server.should_exit = True
    web.join(SHUTDOWN_S)
    listener.close()
    return ExitCode.STOPPED if service.stopped_run else ExitCode.OK
