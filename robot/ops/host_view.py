"""What people read about the shared queue of several hosts: each host (name, accounts, last heartbeat,
rows in flight, whether it is alive) and each workbook's rows per state. Used by `corobot hosts` and the
console's 主机 page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from robot.core.config import Settings
from robot.ops.host import shared
from robot.store.db import engine_for
from robot.store.migrate import upgrade
from robot.store.queue import BookProgress, HostInfo, SharedQueue

NOT_SHARED = "未设置共享数据库（journal_url = postgresql://…）：本机单独工作，没有共享队列"


@dataclass(frozen=True)
class HostLine:
    name: str
    accounts: str
    last_heartbeat: str
    in_flight: int
    state: str
    """在线, 已退出, or 失联 (no heartbeat for three leases)."""


def host_state(host: HostInfo, lease_s: float, now: datetime | None = None) -> str:
    if host.stopped:
        return "已退出"
    now = now or datetime.now(UTC)
    return "在线" if (now - host.last_heartbeat).total_seconds() <= 3 * lease_s else "失联"


def host_lines(queue: SharedQueue, lease_s: float) -> list[HostLine]:
    return [
        HostLine(
            h.name,
            "、".join(h.accounts) or "-",
            f"{h.last_heartbeat.astimezone():%Y-%m-%d %H:%M:%S}",
            h.in_flight,
            host_state(h, lease_s),
        )
        for h in queue.hosts()
    ]


def book_text(progress: BookProgress) -> str:
    book, counts = progress.book, progress.counts
    parts = f"排队 {counts.get('queued', 0)}，处理中 {counts.get('claimed', 0)}，完成 {counts.get('final', 0)}"
    done = f"；主机 {book.finished_by} 写出结果 {book.report}" if book.report else ""
    return f"#{book.id} {book.name}（{book.origin} 加入，{book.queued_at.astimezone():%m-%d %H:%M}）：{parts}{done}"


def shared_queue(settings: Settings) -> SharedQueue | None:
    """A read-only look at the shared queue of the settings' PostgreSQL, or None without one."""
    if not shared(settings):
        return None
    engine = engine_for(settings.journal_url, settings.state_dir)
    upgrade(engine)  # a database no host has joined yet gets its tables
    return SharedQueue(engine, "")


def hosts_report(settings: Settings, last: int = 10) -> list[str]:
    """`corobot hosts`: one line per host, then the latest workbooks of the shared queue."""
    queue = shared_queue(settings)
    if queue is None:
        return [NOT_SHARED]
    try:
        lines = [
            f"{h.name}  {h.state}  账号 {h.accounts}  最后心跳 {h.last_heartbeat}  处理中 {h.in_flight} 行"
            for h in host_lines(queue, settings.queue_lease_s)
        ]
        books = [book_text(p) for p in queue.progress(last)]
    finally:
        queue.engine.dispose()
    return [*(lines or ["还没有主机加入共享队列"]), "", "共享队列：", *(books or ["（空）"])]
