"""The Host header check: the console answers only to the names it is reached by (localhost, 127.0.0.1,
::1, the `--host` address and the setting `console_hosts`), so a page on another site cannot reach it
through DNS rebinding. Any other Host gets 400 before any route runs."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

ALWAYS = ("localhost", "127.0.0.1", "::1")
WILDCARDS = {"0.0.0.0", "::", ""}
REFUSED = "主机名不被接受：请用控制台的地址访问（管理员可在设置 console_hosts 中添加名字）"


def allowed_hosts(host: str, extra: str) -> set[str]:
    """The names a request's Host may carry: the loopback names, `host` (unless a wildcard address)
    and the comma-separated `extra` (setting `console_hosts`)."""
    names = {*ALWAYS, *(n.strip() for n in extra.split(","))}
    if host not in WILDCARDS:
        names.add(host)
    return {n.lower().strip("[]") for n in names if n.strip()}


def host_name(header: str) -> str:
    """The name part of a Host header (`[::1]:8765` → `::1`, `Robot.Local:80` → `robot.local`)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """ASGI middleware refusing requests whose Host is not one of `names`."""

    def __init__(self, app: ASGIApp, names: Iterable[str]) -> None:
        self.app = app
        self.names = set(names)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            name = host_name(headers.get(b"host", b"").decode("latin-1"))
            if name not in self.names:
                answer = PlainTextResponse(REFUSED, status_code=400)
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)
