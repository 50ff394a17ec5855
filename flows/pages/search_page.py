"""Page object: the 补录 search page (step 8–9): criteria, 查询, result table, pagination, 补录 button."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from playwright.async_api import FrameLocator, Locator, Page

from flows.pages import xhr
from flows.pages.date_picker import DatePicker

API = "/api/supplement/certs"
COLUMNS = {"certNo": "证明号", "certType": "证明类型", "exporterCode": "出口商代码", "exporterName": "出口商名称",
           "createdOn": "证明创建日期", "auditStatus": "审核状态", "supplementStatus": "补录状态"}
"""查询结果 columns by the answer's field names (the table draws one column from each)."""


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
        self._page = 1

    async def search(self, criteria: Criteria) -> xhr.Envelope:
        """Fills the criteria and clicks 【查询】; returns the first page's answer.

        Fields already holding the wanted value (from this page's previous search) are left alone.
        The page may still be running a query of its own (once on load, and again after each
        【提交】); the portal drops answers of superseded queries, so 【查询】 need not wait for it:
        the answer taken is the one to these criteria.
        """
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
        answer = await xhr.call(self.page, API, self.query_button.click, asks_for(criteria, 1))
        self._last, self._page = criteria, _page_of(answer, 1)
        return answer

    async def next_page(self) -> xhr.Envelope:
        await xhr.settled(self.table)  # 下一页 asks for the page after the one the table shows: let it draw
        wanted = self._page + 1
        answer = await xhr.call(self.page, API, self.next_button.click, asks_for(self._last or Criteria(), wanted))
        self._page = _page_of(answer, wanted)
        return answer

    async def find(self, criteria: Criteria, cert_no: str) -> FoundCertificate | None:
        """Searches, then pages through the results until the row whose 证明号 is `cert_no`."""
        async for data in xhr.paged(await self.search(criteria), self.next_page):
            for answer_row in data.get("rows", []):
                if str(answer_row.get("certNo", "")) == cert_no:
                    return self._found(cert_no, answer_row)
        return None

    async def pages(self, criteria: Criteria) -> AsyncIterator[list[dict[str, Any]]]:
        """Yields the certificates of every result page (as the portal's answer lists them)."""
        async for data in xhr.paged(await self.search(criteria), self.next_page):
            yield list(data.get("rows", []))

    def _found(self, cert_no: str, answer_row: dict[str, Any]) -> FoundCertificate:
        """The certificate as the table shows it: its cells from the answer the table is drawn from
        (portal contract: one column per field), its row located by the 证明号 cell."""
        cells = {column: str(answer_row.get(key, "")).strip() for key, column in COLUMNS.items()}
        cell = self.frame.get_by_role("cell", name=cert_no, exact=True)
        return FoundCertificate(cells, self.table.get_by_role("row").filter(has=cell))

    def supplement_button(self, found: FoundCertificate) -> Locator:
        return found.row.get_by_role("button", name="补录", exact=True).or_(
            found.row.get_by_role("link", name="补录", exact=True)
        )


def asks_for(criteria: Criteria, page: int) -> Callable[[dict[str, Any]], bool]:
    """Whether a query's JSON body (portal contract: certType … certNo, page) asks for `criteria`, page `page`."""
    want = {
        "certType": criteria.cert_type or "",
        "exporterCode": criteria.exporter_code or "",
        "createdFrom": criteria.created_from.isoformat() if criteria.created_from else "",
        "createdTo": criteria.created_to.isoformat() if criteria.created_to else "",
        "certNo": criteria.cert_no or "",
    }

    def asks(sent: dict[str, Any]) -> bool:
        return str(sent.get("page")) == str(page) and all(str(sent.get(k) or "") == v for k, v in want.items())
    return asks


def _page_of(answer: xhr.Envelope, default: int) -> int:
    data = answer.data if isinstance(answer.data, dict) else {}
    return int(data.get("page", default))
