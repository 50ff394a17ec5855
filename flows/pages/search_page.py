"""Page object: the 补录 search page (steps 8–9): criteria by their labels, 【查询】, the result table
read by its header texts, its pager, and a certificate's row found by its 证明号 text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

from playwright.async_api import FrameLocator, Locator

from flows import widgets
from flows.profile import PortalProfile

CERT_NO = "证明号"
SUPPLEMENT = "补录"
HEADERS = (CERT_NO, "补录状态")
"""Header texts that tell the result table (查询结果) from any other table."""


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
    """A certificate row in 查询结果: its cells by header text and its row locator."""

    cells: dict[str, str]
    row: Locator

    @property
    def supplement_status(self) -> str:
        return self.cells.get("补录状态", "")

    @property
    def already_supplemented(self) -> bool:
        """The portal shows a 补录 status other than 未补录 for this certificate."""
        return self.supplement_status not in ("", "未补录")


def date_range(frame: FrameLocator, label: str) -> tuple[Locator, Locator]:
    """The 起 and 止 fields of a date range: labelled `label起`/`label止`, or two after one `label`."""
    split = (widgets.field(frame, f"{label}起"), widgets.field(frame, f"{label}止"))
    together = (widgets.field(frame, label), widgets.field(frame, label, nth=2))
    return split[0].or_(together[0]).first, split[1].or_(together[1]).first


class SearchPage:
    def __init__(self, frame: FrameLocator, profile: PortalProfile) -> None:
        self.frame = frame
        self.profile = profile
        self.cert_type = widgets.field(frame, "证明类型")
        self.exporter_code = widgets.field(frame, "出口商代码")
        self.created_from, self.created_to = date_range(frame, "证明创建日期")
        self.cert_no = widgets.field(frame, CERT_NO)
        self.query_button = widgets.clickable(frame, "查询")
        self.table = widgets.table(frame, *HEADERS)
        self._last: Criteria | None = None

    @property
    def wait_ms(self) -> float:
        return self.profile.table_load_s * 1000

    async def search(self, criteria: Criteria) -> None:
        """Fills the criteria and clicks 【查询】; returns when the table shows the answer.

        Fields already holding the wanted value (from this page's previous search) are left alone.
        The page may still be running a query of its own (once on load, again after each 【提交】):
        【查询】 need not wait for it, as the page drops (or aborts) a superseded query; the table
        stays loading until the answer to this one is drawn.
        """
        await widgets.need(self.query_button, "查询")
        last = self._last or Criteria()
        fresh = self._last is None
        if fresh or criteria.cert_type != last.cert_type:
            await widgets.choose_option(await widgets.need(self.cert_type, "证明类型"), criteria.cert_type or "全部")
        if fresh or criteria.exporter_code != last.exporter_code:
            await (await widgets.need(self.exporter_code, "出口商代码")).fill(criteria.exporter_code or "")
        if fresh or criteria.cert_no != last.cert_no:
            await (await widgets.need(self.cert_no, CERT_NO)).fill(criteria.cert_no or "")
        for control, day, before, words in (
                (self.created_from, criteria.created_from, last.created_from, "证明创建日期起"),
                (self.created_to, criteria.created_to, last.created_to, "证明创建日期止")):
            if fresh or day != before:
                await widgets.set_date(self.frame, await widgets.need(control, words), day)
        self._last = None  # unknown until the query has been answered
        await widgets.mark_seen(self.frame)
        await self.query_button.click()
        await widgets.settled(self.frame, self.profile.loading, self.wait_ms)
        await widgets.raise_on_trouble([self.frame], self.profile.busy, self.profile.expired)
        self._last = criteria

    async def shown_rows(self, criteria: Criteria) -> list[dict[str, str]]:
        await widgets.need(self.table, "查询结果（表头 证明号、补录状态）")
        return await widgets.answer_rows(self.table, self.profile.no_data, CERT_NO, criteria.cert_no, exact=False)

    async def pages(self, criteria: Criteria) -> AsyncIterator[list[dict[str, str]]]:
        """Yields the rows (header text → cell text) of every result page, as the table shows them."""
        await self.search(criteria)
        while True:
            yield await self.shown_rows(criteria)
            if not await widgets.has_next_page(self.frame):
                return
            await widgets.next_page(self.frame, self.profile.loading, self.wait_ms)

    async def find(self, criteria: Criteria, cert_no: str) -> FoundCertificate | None:
        """Searches, then pages through the results until the row whose 证明号 is `cert_no`."""
        async for rows in self.pages(criteria):
            for cells in rows:
                if cells.get(CERT_NO) == cert_no:
                    return FoundCertificate(cells, widgets.row_with(self.table, cert_no))
        return None

    def supplement_button(self, found: FoundCertificate) -> Locator:
        return widgets.clickable(found.row, SUPPLEMENT)
