"""The portal port: what the engine needs of one portal worker, and the values that cross the seam.

`flows.portal.PortalWorker` implements `PortalClient` on the real pages; the engine knows only this
module. The commands layer (the composition root, robot.commands.wiring) builds the `PortalWorkers`
factory and passes it down, so neither robot.engine nor the vocabulary imports flows; the unit tests
pass an in-memory double (tests/support/portal_double.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from playwright.async_api import BrowserContext

from robot.core.config import Settings
from robot.core.errors import PortalSystemError
from robot.core.model import Authority, Task

LoginState = Mapping[str, Any]
"""A saved login: the browser context's storage state (cookies and local storage), never logged."""


class Found(Protocol):
    """A certificate found in 查询结果 (what `prepare` opens the 补录 dialog on)."""

    @property
    def already_supplemented(self) -> bool: ...


@dataclass(frozen=True)
class ListSearch:
    """The search several rows share (guide step 8 without 证明号): worked down one result list."""

    authority: Authority
    exporter_code: str | None = None
    cert_type: str | None = None
    created_on: date | None = None

    @classmethod
    def of(cls, task: Task) -> ListSearch:
        return cls(task.authority, task.exporter_code, task.cert_type, task.created_on)


class ListedPage(Protocol):
    """One page of a list search: the certificates it shows, by 证明号, in the list's order."""

    @property
    def number(self) -> int: ...

    @property
    def certificates(self) -> Mapping[str, Found]: ...

    def current(self) -> bool:
        """Whether the window still shows this page as it was listed (no other search, reload or page
        turn since); a certificate of a page no longer current is found again by its own search."""
        ...


class ListChanged(PortalSystemError):
    """The result list is no longer as it was listed (another search, a reload, a certificate no longer
    where it was): the row is searched on its own instead (not counted as an attempt)."""


@dataclass(frozen=True)
class SupplementRecord:
    """One line of 补录信息查询, reduced to what the robot compares."""

    cert_no: str
    authority: str
    exported: bool
    declaration_nos: tuple[str, ...]
    status: str
    submitted_at: str
    fields: dict[str, str]
    """Every column as the portal shows it (the report's sheet 补录信息)."""

    def matches(self, task: Task) -> bool:
        """The same certificate with the same answer (是否实际出口 and the numbers, in any order)."""
        return (
            self.cert_no == task.cert_no
            and self.exported == task.exported
            and sorted(self.declaration_nos) == sorted(task.declaration_nos)
        )


class PortalClient(Protocol):
    """One logged-in portal worker in its own browser context (see flows.portal.PortalWorker)."""

    context: BrowserContext

    async def connect(self) -> None:
        """Log in (unless the context's login is still good) and open the application."""

    async def ensure_connected(self) -> None:
        """Connect again when the window was closed or the portal shows its login page."""

    async def reset(self, session_expired: bool = False) -> None:
        """After a system error: reload the application, or (session expired) log in next time."""

    async def responsive(self) -> bool:
        """Whether the application window still answers at all."""

    def explain(self, error: Exception) -> Exception:
        """Maps browser trouble to the robot's error kinds (robot.core.errors)."""

    async def find_certificate(self, task: Task) -> Found | None:
        """Guide steps 7–8: the task's certificate among the approved ones, or None."""

    def list_pages(self, search: ListSearch) -> AsyncIterator[ListedPage]:
        """Guide step 8 once for many rows: 【查询】 with the shared criteria, then each result page in
        turn (the next one when the caller asks for it, after working the rows it names). Raises
        ListChanged when the caller asks for the next page of a list that is no longer shown."""
        ...

    async def find_supplements(self, task: Task) -> list[SupplementRecord]:
        """补录信息查询 for the task's certificate."""

    async def all_supplements(self, since: date) -> list[SupplementRecord]:
        """补录信息查询 of everything submitted since `since` (the receipt watch)."""

    async def failure_reason(self, task: Task) -> str:
        """Why the customs refused the task's supplement (海关接收失败), "" when not shown."""

    async def prepare(self, found: Found, task: Task) -> None:
        """Guide steps 9–10: open the 补录 dialog and fill it; it stays open for `send` or `cancel`.
        A certificate from a listed page that is no longer current, or no longer on it: ListChanged."""

    async def send(self) -> str:
        """Guide step 11: 【提交】 of the prepared dialog; returns the portal's message."""

    async def cancel(self) -> None:
        """【取消】 of the prepared dialog (dry runs, a stop before 【提交】)."""

    async def evidence(self, folder: Path, name: str) -> list[Path]:
        """A screenshot of the window (secrets masked) for a failed row; the files written."""


PortalWorkers = Callable[[BrowserContext, Settings], PortalClient]
"""Makes the worker of one browser context for one account's settings (built by the composition root)."""
