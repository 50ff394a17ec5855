"""`python -m mock_portal`: binds the socket (port 0 = free port), prints the URL and the demo accounts."""

from __future__ import annotations

import asyncio
import socket
import sys

import uvicorn

from mock_portal import seed
from mock_portal.app import create_app
from mock_portal.settings import Settings, parse_args
from mock_portal.variants import Variant


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def banner(settings: Settings, port: int) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    variant = Variant.from_seed(settings.variant, settings.variant_force)
    lines = [f"mock portal listening on http://{host}:{port}  variant {settings.variant}"]
    for ent in seed.enterprises(settings.enterprises):
        lines.append(f"  account {ent.username} / {seed.DEMO_PASSWORD}  ({ent.name}, {', '.join(ent.codes)})")
    lines.append(f"  front end: {settings.frontend}")
    if settings.frontend == "layui":
        lines.append(f"  {variant.describe()}")
    if settings.rename_menu:
        lines.append("  menu renamed: " + ", ".join(f"{old} → {new}" for old, new in settings.rename_menu.items()))
    if settings.break_page:
        lines.append(f"  broken on purpose: {settings.break_page}")
    if settings.test_api:
        lines.append("  test API enabled under /__test__/")
    return "\n".join(lines)


class _AnnouncingServer(uvicorn.Server):
    """Prints the banner once the socket accepts connections."""

    def __init__(self, config: uvicorn.Config, message: str) -> None:
        super().__init__(config)
        self.message = message

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        print(self.message, flush=True)


def serve(settings: Settings) -> None:
    sock = bind(settings.host, settings.port)
    settings.port = sock.getsockname()[1]
    app = create_app(settings)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = _AnnouncingServer(config, banner(settings, settings.port))
    asyncio.run(server.serve(sockets=[sock]))


def main(argv: list[str] | None = None) -> int:
    settings = parse_args(argv)
    try:
        serve(settings)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
