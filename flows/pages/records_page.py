"""Page object: 补录信息查询 (section 二): filters, 补录信息列表, pagination and the 补录详情 layer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from functools import partial

from playwright.async_api import FrameLocator, Page

from flows.pages import xhr
from flows.pages.date_picker import DatePicker

API = "/api/supplement/records"
DETAIL_FIELDS = ("证明号", "签证机构", "证明类型", "出口商代码", "出口商名称", "证明创建日期", "是否实际出口",
                 "报关单号", "补录时间", "补录状态", "回执时间", "回执说明")


@dataclass(frozen=True)
class RecordFilter:
    authority: str | None = None  # 海关 | 贸促会 | None = 全部
    cert_no: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class RecordsPage:
    def __init__(self, page: Page, frame: FrameLocator) -> None:
        self.page = page
        self.frame = frame
        self.authority = frame.get_by_label("签证机构")
        self.cert_no = frame.get_by_label("证明号")
        self.status = frame.get_by_label("补录状态")
        self.date_from = frame.get_by_label("补录日期起")
        self.date_to = frame.get_by_label("补录日期止")
        self.query_button = frame.get_by_role("button", name="查询")
        self.table = frame.get_by_role("table", name="补录信息列表")
        self.next_button = frame.get_by_role("button", name="下一页")
        self.dates = DatePicker(frame)
        self.detail = frame.get_by_role("dialog", name="补录详情")

    async def search(self, flt: RecordFilter) -> xhr.Envelope:
        await xhr.settled(self.table)
        await self.authority.select_option(label=flt.authority or "全部")
        await self.cert_no.fill(flt.cert_no or "")
        await self.status.select_option(label=flt.status or "全部")
        for field, day in ((self.date_from, flt.date_from), (self.date_to, flt.date_to)):
            await self.dates.set(field, day)
        return await xhr.call(self.page, API, self.query_button.click)

    async def pages(self, flt: RecordFilter) -> AsyncIterator[list[dict[str, str]]]:
        """Yields the table rows (column name → text) page by page, as the portal shows them."""
        next_page = partial(xhr.call, self.page, API, self.next_button.click)
        async for data in xhr.paged(await self.search(flt), next_page):
            yield await self._visible_rows(len(data.get("rows", [])))

    async def _visible_rows(self, expected: int) -> list[dict[str, str]]:
        body_rows = self.table.locator("tbody tr")
        if expected:
            await body_rows.nth(expected - 1).wait_for()
        return await self.table.evaluate(
            """t => {
              const heads = [...t.tHead.rows[0].cells].map(c => c.innerText.trim());
              return [...t.tBodies[0].rows].filter(r => r.cells.length === heads.length).map(
                r => Object.fromEntries([...r.cells].map((c, i) => [heads[i], c.innerText.trim()])));
            }"""
        )

    async def details(self, index: int) -> dict[str, str]:
        """Opens 【详情】 of the index-th row on the current page and reads every field."""
        await self.table.locator("tbody tr").nth(index).get_by_text("详情", exact=True).click()
        await self.detail.wait_for()
        content = self.detail.frame_locator("iframe")
        await content.locator("dl").wait_for()
        values: dict[str, str] = await content.locator("dl").evaluate(
            """dl => Object.fromEntries([...dl.querySelectorAll('dt')].map(
                 dt => [dt.innerText.trim().replace(/[:：]$/, ''), (dt.nextElementSibling?.innerText || '').trim()]))"""
        )
        await self.detail.get_by_role("button", name="关闭").click()
        await self.detail.wait_for(state="hidden")
        return values
