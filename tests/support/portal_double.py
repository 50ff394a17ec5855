"""An in-memory portal double for the engine's unit tests: it implements the port
`robot.core.portal.PortalClient` (no browser, no page), with a browser session and contexts just
real enough for the worker pool, and faults scripted per portal call.

`DoublePortal` is the portal's state (certificates, supplements stored, each 【提交】 that reached it);
`faults[op]` lists what the next calls of `op` raise (None = that call goes through). The ops:
connect, find_certificate, find_supplements, prepare, send (before the portal stores the supplement),
sent (after it stored it: the answer is lost, e.g. a 5xx after 【提交】), all_supplements, list_pages (the
list's 【查询】), next_page (a page turn of the list).

The list (`list_pages`) shows the certificates in sorted order, `page_size` a page, except `unlisted`
ones (found only by their own search, as when the page narrowed the list by itself); a certificate in
`moved` is no longer where the list showed it when its dialog is opened from there (once).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections import Counter
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from robot.core.config import Settings
from robot.core.errors import DeadlineExceeded
from robot.core.model import STATUS_ACCEPTED, STATUS_DECLARED, STATUS_REJECTED, Authority, RowOutcome, Task
from robot.core.portal import Found, ListChanged, ListSearch, PortalClient, SupplementRecord
from robot.engine.control import RunAborted
from robot.engine.journal import Journal
from robot.engine.runner import Runner
from robot.session.browser import BrowserSession

REJECTED_NO = "999999999999999999"
"""A declaration number whose receipt says 海关接收失败."""
REASON = f"报关单未放行或未结关：{REJECTED_NO}"
SHM = Path("/dev/shm")


def task(row: int, numbers: tuple[str, ...] = ("510120240000012345",), exported: bool = True) -> Task:
    return Task(
        row=row,
        authority=Authority.CUSTOMS,
        cert_no=f"C2510269023{row:05d}",
        exported=exported,
        declaration_nos=numbers if exported else (),
    )


@dataclass
class DoublePortal:
    certificates: set[str] = field(default_factory=set)
    records: list[SupplementRecord] = field(default_factory=list)
    sent: Counter[str] = field(default_factory=Counter)
    """Supplements stored per task key: exactly once means 1 for every row sent."""
    faults: dict[str, list[BaseException | None]] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    receipts: bool = True
    """Whether a read of 补录信息查询 finds the receipts arrived (海关接收成功 / 失败)."""
    hold_send: asyncio.Event | None = None
    """When set, 【提交】 waits for this event (a row in flight when the run is stopped)."""
    page_size: int = 2
    unlisted: set[str] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)
    stalling: set[str] = field(default_factory=set)
    """Certificates whose 【补录】 always misses its deadline (`stalled` counts the tries)."""
    stalled: Counter[str] = field(default_factory=Counter)

    def add(self, *tasks: Task) -> None:
        self.certificates.update(t.cert_no for t in tasks)

    def fail(self, op: str, *errors: BaseException | None) -> None:
        self.faults.setdefault(op, []).extend(errors)

    async def hit(self, op: str) -> None:
        self.calls[op] += 1
        await asyncio.sleep(0)  # a turn for the other workers, as a page would give
        plan = self.faults.get(op)
        if plan:
            error = plan.pop(0)
            if error is not None:
                raise error

    def store(self, task: Task) -> None:
        self.sent[task.key] += 1
        self.records.append(
            SupplementRecord(
                task.cert_no,
                task.authority.value,
                task.exported,
                task.declaration_nos,
                STATUS_DECLARED,
                f"2026-12-01 10:{len(self.records):02d}:00",
                {"证明号": task.cert_no},
            )
        )

    def arrive(self) -> None:
        if not self.receipts:
            return
        self.records = [
            r
            if r.status != STATUS_DECLARED
            else SupplementRecord(
                r.cert_no,
                r.authority,
                r.exported,
                r.declaration_nos,
                STATUS_REJECTED if REJECTED_NO in r.declaration_nos else STATUS_ACCEPTED,
                r.submitted_at,
                r.fields,
            )
            for r in self.records
        ]


@dataclass(frozen=True)
class FoundDouble:
    cert_no: str
    already_supplemented: bool
    listing: int = 0


@dataclass(frozen=True)
class ListedDouble:
    number: int
    certificates: Mapping[str, Found]
    worker: WorkerDouble
    listing: int

    def current(self) -> bool:
        return self.worker.listing == self.listing


class TracingDouble:
    async def start(self, **options: Any) -> None:
        return None

    async def stop(self, path: str | None = None) -> None:
        if path is not None:
            Path(path).write_bytes(b"trace")


class ContextDouble:
    """Just what the pool and the row evidence use of a Playwright BrowserContext."""

    def __init__(self) -> None:
        self.pages: list[object] = []
        self.tracing = TracingDouble()
        self.closed = False
        self._listeners: dict[str, list[Any]] = {}

    def on(self, event: str, listener: Any) -> None:
        self._listeners.setdefault(event, []).append(listener)

    async def storage_state(self) -> dict[str, Any]:
        return {"cookies": [{"name": "SESSION", "value": "double"}], "origins": []}

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            for listener in self._listeners.get("close", []):
                listener(self)


class SessionDouble:
    """Stands in for robot.session.browser.BrowserSession: hands out contexts, restarts."""

    refusals = 0
    """How many of the next new_context calls fail as a closed or crashed browser does (a Playwright
    error); set on the class by a test (Bench makes a new session per run)."""

    def __init__(self) -> None:
        self.generation = 1
        self.contexts: list[ContextDouble] = []
        self.restarts = 0

    async def new_context(self, storage_state: dict[str, Any] | None = None) -> BrowserContext:
        if SessionDouble.refusals > 0:
            SessionDouble.refusals -= 1
            raise PlaywrightError("Browser.new_context: Target page, context or browser has been closed")
        context = ContextDouble()
        self.contexts.append(context)
        return cast(BrowserContext, context)

    async def restart(self) -> None:
        self.restarts += 1
        self.generation += 1

    def kill(self) -> None:
        return None


class WorkerDouble:
    """One portal worker on the double (implements robot.core.portal.PortalClient)."""

    def __init__(self, context: BrowserContext, portal: DoublePortal) -> None:
        self.context = context
        self.portal = portal
        self.connected = False
        self._dialog: Task | None = None
        self.listing = 0

    async def connect(self) -> None:
        await self.portal.hit("connect")
        self.connected = True

    async def ensure_connected(self) -> None:
        if not self.connected:
            await self.connect()

    async def reset(self, session_expired: bool = False) -> None:
        self._dialog = None
        self.listing += 1
        if session_expired:
            self.connected = False

    async def responsive(self) -> bool:
        return True

    def explain(self, error: Exception) -> Exception:
        return error

    def _found(self, cert_no: str, listing: int = 0) -> FoundDouble:
        return FoundDouble(cert_no, any(r.cert_no == cert_no for r in self.portal.records), listing)

    async def find_certificate(self, task: Task) -> Found | None:
        self.listing += 1
        await self.portal.hit("find_certificate")
        if task.cert_no not in self.portal.certificates:
            return None
        return self._found(task.cert_no)

    async def list_pages(self, search: ListSearch) -> AsyncGenerator[ListedDouble, None]:
        self.listing += 1
        await self.portal.hit("list_pages")
        listed = sorted(self.portal.certificates - self.portal.unlisted)
        size, mine = self.portal.page_size, self.listing
        for number, start in enumerate(range(0, len(listed), size), 1):
            if number > 1:
                if self.listing != mine:
                    raise ListChanged("结果列表已变化")
                await self.portal.hit("next_page")
            self.listing += 1
            mine = self.listing
            page = {c: self._found(c, mine) for c in listed[start : start + size]}
            yield ListedDouble(number, page, self, mine)

    async def find_supplements(self, task: Task) -> list[SupplementRecord]:
        await self.portal.hit("find_supplements")
        return [r for r in self.portal.records if r.cert_no == task.cert_no]

    async def all_supplements(self, since: date) -> list[SupplementRecord]:
        await self.portal.hit("all_supplements")
        self.portal.arrive()
        return list(self.portal.records)

    async def failure_reason(self, task: Task) -> str:
        return REASON

    async def prepare(self, found: Found, task: Task) -> None:
        assert isinstance(found, FoundDouble) and found.cert_no == task.cert_no
        if found.listing and (found.listing != self.listing or found.cert_no in self.portal.moved):
            self.portal.moved.discard(found.cert_no)
            raise ListChanged("证书已不在结果列表的这一页上")
        await self.portal.hit("prepare")
        if task.cert_no in self.portal.stalling:
            self.portal.stalled[task.cert_no] += 1
            raise DeadlineExceeded("补录对话框无响应")
        self._dialog = task

    async def send(self) -> str:
        dialog, self._dialog = self._dialog, None
        assert dialog is not None, "send without prepare"
        if self.portal.hold_send is not None:
            await self.portal.hold_send.wait()
        await self.portal.hit("send")
        self.portal.store(dialog)
        await self.portal.hit("sent")
        return "提交成功"

    async def cancel(self) -> None:
        self._dialog = None

    async def evidence(self, folder: Path, name: str) -> list[Path]:
        return []


def workers_of(portal: DoublePortal) -> Any:
    """The runner's worker factory (context → worker) on `portal`."""

    def make(context: BrowserContext) -> PortalClient:
        return WorkerDouble(context, portal)

    return make


def quick_settings(**changes: Any) -> Settings:
    """Settings with every wait cut to nothing (the double answers at once)."""
    base = replace(
        Settings(),
        backoff_s=0.0,
        min_submit_interval_s=0.0,
        receipt_deadline_s=5.0,
        receipt_poll_s=0.0,
        stop_grace_s=0.05,
        row_deadline_s=10.0,
        browser_deadline_s=5.0,
        watchdog_s=60.0,
        stall_limit_s=0.0,
    )
    return replace(base, **changes)


@dataclass
class Bench:
    """A journal on disk and the double, for running the real Runner on them once or more."""

    folder: Path
    portal: DoublePortal = field(default_factory=DoublePortal)
    session: SessionDouble = field(default_factory=SessionDouble)
    journal: Journal = field(init=False)

    _memory: Path | None = None

    def __post_init__(self) -> None:
        # The journal's every commit is fsynced (synchronous=FULL): on tmpfs that costs nothing, so a run
        # of the double takes milliseconds; it is the same SQLite journal as on disk.
        self._memory = Path(tempfile.mkdtemp(dir=SHM)) if SHM.is_dir() else None
        self.journal = Journal((self._memory or self.folder) / "journal.sqlite3")

    def close(self) -> None:
        self.journal.close()
        if self._memory is not None:
            shutil.rmtree(self._memory, ignore_errors=True)

    def run(
        self, tasks: list[Task], settings: Settings | None = None, during: Any = None
    ) -> tuple[Runner, dict[int, RowOutcome]]:
        """One run of `tasks` (a fresh browser each time, one journal throughout); `during(runner)` is
        started beside it (e.g. to stop it). A run that could not start at all leaves `outcomes` empty."""
        self.session = SessionDouble()
        run_id = self.journal.start_run(self.folder / "in.xlsx", "sha", False)
        runner = Runner(
            settings or quick_settings(),
            self.journal,
            run_id,
            cast(BrowserSession, self.session),
            workers_of(self.portal),
            self.folder / "evidence",
        )

        async def both() -> dict[int, RowOutcome]:
            side = asyncio.ensure_future(during(runner)) if during is not None else None
            try:
                return await runner.run(tasks)
            except RunAborted:
                return dict(runner.outcomes)
            finally:
                if side is not None:
                    side.cancel()

        return runner, asyncio.run(both())
