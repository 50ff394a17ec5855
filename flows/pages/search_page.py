"""Page object: the 补录 search page (step 8–9): criteria, 查询, result table, pagination, 补录 button."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from playwright.async_api import FrameLocator, Locator, Page

from flows.pages import xhr
from flows.pages.date_picker import DatePicker

API = "/api/supplement/certs"


@dataclass(frozen=True)
class Criteria:
    """The search fields of step 8; any combination, None = leave empty."""

    cert_no: str | None = None
    exporter_code: str | None = None
    cert_type: str | None = None
    created_from: date | None = None
    created_to: date | None = None


@dataclass(frozen=True)
class FoundCertificate:
    """A certificate row in 查询结果: its cells by column name and its row locator."""

    cells: dict[str, str]
    row: Locator

    @property
    def supplement_status(self) -> str:
        return self.cells.get("补录状态", "")

    @property
    def already_supplemented(self) -> bool:
        """The portal shows a 补录 status other than 未补录 for this certificate."""
        return self.supplement_status not in ("", "未补录")


class SearchPage:
    def __init__(self, page: Page, frame: FrameLocator) -> None:
        self.page = page
        self.frame = frame
        self.cert_type = frame.get_by_label("证明类型")
        self.exporter_code = frame.get_by_label("出口商代码")
        self.created_from = frame.get_by_label("证明创建日期起")
        self.created_to = frame.get_by_label("证明创建日期止")
        self.cert_no = frame.get_by_label("证明号")
        self.query_button = frame.get_by_role("button", name="查询")
        self.table = frame.get_by_role("table", name="查询结果")
        self.next_button = frame.get_by_role("button", name="下一页")
        self.dates = DatePicker(frame)
        self._last: Criteria | None = None

    async def search(self, criteria: Criteria) -> xhr.Envelope:
        """Fills the criteria and clicks 【查询】; returns the first page's answer.

        Fields already holding the wanted value (from this page's previous search) are left alone.
        """
        await xhr.settled(self.table)  # the page queries once on load; let that answer land first
        last = self._last or Criteria()
        if self._last is None or criteria.cert_type != last.cert_type:
            await self.cert_type.select_option(label=criteria.cert_type or "全部")
        if self._last is None or criteria.exporter_code != last.exporter_code:
            await self.exporter_code.fill(criteria.exporter_code or "")
        if self._last is None or criteria.cert_no != last.cert_no:
            await self.cert_no.fill(criteria.cert_no or "")
        for field, day, before in ((self.created_from, criteria.created_from, last.created_from),
                                   (self.created_to, criteria.created_to, last.created_to)):
            if self._last is None or day != before:
                await self.dates.set(field, day)
        self._last = None  # unknown until the query has been sent
        answer = await xhr.call(self.page, API, self.query_button.click)
        self._last = criteria
        return answer

    async def next_page(self) -> xhr.Envelope:
        return await xhr.call(self.page, API, self.next_button.click)

    async def find(self, criteria: Criteria, cert_no: str) -> FoundCertificate | None:
        """Searches, then pages through the results until the row whose 证明号 is `cert_no`."""
        async for data in xhr.paged(await self.search(criteria), self.next_page):
            if any(cert_no == str(v) for row in data.get("rows", []) for v in row.values()):
                return await self._row(cert_no)
        return None

    async def pages(self, criteria: Criteria) -> AsyncIterator[list[dict[str, Any]]]:
        """Yields the certificates of every result page (as the portal's answer lists them)."""
        async for data in xhr.paged(await self.search(criteria), self.next_page):
            yield list(data.get("rows", []))

    async def _row(self, cert_no: str) -> FoundCertificate:
        cell = self.frame.get_by_role("cell", name=cert_no, exact=True)
        row = self.table.get_by_role("row").filter(has=cell)
        await row.wait_for()
        headers = await self.table.locator("thead th").all_inner_texts()
        values = await row.locator("td").all_inner_texts()
        return FoundCertificate(dict(zip([h.strip() for h in headers], [v.strip() for v in values],
                                         strict=False)), row)

    def supplement_button(self, found: FoundCertificate) -> Locator:
        return found.row.get_by_role("button", name="补录", exact=True).or_(
            found.row.get_by_role("link", name="补录", exact=True)
        )
