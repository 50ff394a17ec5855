"""Page object: 补录信息查询 (section 二): filters by their labels, the list read by its header texts,
its pager, and 【详情】 (a layer titled 补录详情, read as label/value pairs)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

from playwright.async_api import FrameLocator, Page

from flows import widgets
from flows.pages.search_page import date_range
from flows.profile import PortalProfile

DETAIL_TITLE = "补录详情"
HEADERS = ("证明号", "补录状态")
DETAIL_FIELDS = ("证明号", "签证机构", "证明类型", "出口商代码", "出口商名称", "证明创建日期", "是否实际出口",
                 "报关单号", "补录时间", "补录状态", "回执时间", "回执说明")

_PAIRS = """root => {
  const clean = s => (s || '').replace(/[\\s\\u00a0\\u3000]+/g, ' ').trim();
  const key = s => clean(s).replace(/\\s/g, '').replace(/[:：]$/, '');
  const out = {};
  root.querySelectorAll('dt').forEach(dt => { out[key(dt.innerText)] = clean(dt.nextElementSibling?.innerText); });
  root.querySelectorAll('label').forEach(l => {
    const k = key(l.innerText); if (!k || k in out) return;
    const next = l.nextElementSibling; if (!next) return;
    const input = next.matches('input, textarea, select') ? next : next.querySelector('input, textarea, select');
    out[k] = clean(input ? input.value : next.innerText);
  });
  root.querySelectorAll('tr').forEach(tr => {
    const cells = [...tr.cells];
    for (let i = 0; i + 1 < cells.length; i += 2) {
      const k = key(cells[i].innerText);
      if (k && !(k in out)) out[k] = clean(cells[i + 1].innerText);
    }
  });
  return out;
}"""
"""A detail view's fields: dt/dd pairs, a label and what follows it, or label/value table cells."""


@dataclass(frozen=True)
class RecordFilter:
    authority: str | None = None  # 海关 | 贸促会 | None = 全部
    cert_no: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class RecordsPage:
    def __init__(self, page: Page, frame: FrameLocator, profile: PortalProfile) -> None:
        self.page = page
        self.frame = frame
        self.profile = profile
        self.authority = widgets.field(frame, "签证机构")
        self.cert_no = widgets.field(frame, "证明号")
        self.status = widgets.field(frame, "补录状态")
        self.date_from, self.date_to = date_range(frame, "补录日期")
        self.query_button = widgets.clickable(frame, "查询")
        self.table = widgets.table(frame, *HEADERS)

    @property
    def wait_ms(self) -> float:
        return self.profile.table_load_s * 1000

    async def search(self, flt: RecordFilter) -> None:
        await widgets.need(self.query_button, "查询")
        await widgets.settled(self.frame, self.profile.loading, self.wait_ms)
        await widgets.choose_option(await widgets.need(self.authority, "签证机构"), flt.authority or "全部")
        await (await widgets.need(self.cert_no, "证明号")).fill(flt.cert_no or "")
        await widgets.choose_option(await widgets.need(self.status, "补录状态"), flt.status or "全部")
        for control, day, words in ((self.date_from, flt.date_from, "补录日期起"),
                                    (self.date_to, flt.date_to, "补录日期止")):
            await widgets.set_date(self.frame, await widgets.need(control, words), day)
        await widgets.mark_seen(self.frame)
        await self.query_button.click()
        await widgets.settled(self.frame, self.profile.loading, self.wait_ms)
        await widgets.raise_on_trouble([self.frame], self.profile.busy, self.profile.expired)

    async def pages(self, flt: RecordFilter) -> AsyncIterator[list[dict[str, str]]]:
        """Yields the table rows (header text → cell text) page by page, as the portal shows them."""
        await self.search(flt)
        while True:
            await widgets.need(self.table, "补录信息列表（表头 证明号、补录状态）")
            yield await widgets.answer_rows(self.table, self.profile.no_data, "证明号", flt.cert_no, exact=True)
            if not await widgets.has_next_page(self.frame):
                return
            await widgets.next_page(self.frame, self.profile.loading, self.wait_ms)

    async def details(self, index: int) -> dict[str, str]:
        """Opens 【详情】 of the index-th row on the current page and reads every field."""
        row = self.table.locator("tbody > tr:has(> td + td)").nth(index)
        await widgets.clickable(row, "详情").click()
        box = await widgets.find_layer((self.frame, self.page), DETAIL_TITLE, self.wait_ms)
        if box is None:
            raise widgets.ElementMissing(f"{DETAIL_TITLE}（对话框）")
        content = await widgets.layer_content(box)
        root = content.locator("body") if isinstance(content, FrameLocator) else content
        await root.get_by_text(widgets.exactly("回执说明")).first.wait_for()
        values: dict[str, str] = await root.evaluate(_PAIRS)
        await widgets.close_layer(box)
        return values
