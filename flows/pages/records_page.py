"""Page object: 补录信息查询 (section 二): filters by their labels, the list read by its header texts,
its pager, and 【详情】 (a layer titled 补录详情, read as label/value pairs)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

from loguru import logger
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Page

from flows import widgets
from flows.pages.search_page import Control, Wanted, date_range, guide_rows, set_control
from flows.profile import PortalProfile
from robot.core.errors import PortalSystemError

DETAIL_TITLE = "补录详情"
DETAIL_KEY = "对话框：补录详情"
HEADERS = ("证明号", "补录状态")
DETAIL_FIELDS = (
    "证明号",
    "签证机构",
    "证明类型",
    "出口商代码",
    "出口商名称",
    "证明创建日期",
    "是否实际出口",
    "报关单号",
    "补录时间",
    "补录状态",
    "回执时间",
    "回执说明",
)

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
    """What to list; None = anything. The page's filters are helpers: the rows are filtered here too."""

    authority: str | None = None  # 海关 | 贸促会 | None = both
    cert_no: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def admits(self, row: dict[str, str]) -> bool:
        """Whether a row (keyed by the guide's words) fits, by the columns the list shows."""
        day = row.get("补录时间", "")[:10]
        return all(
            (
                self.cert_no is None or row.get("证明号", self.cert_no) == self.cert_no,
                self.authority is None or row.get("签证机构", self.authority) == self.authority,
                self.status is None or row.get("补录状态", self.status) == self.status,
                self.date_from is None or not _is_day(day) or day >= self.date_from.isoformat(),
                self.date_to is None or not _is_day(day) or day <= self.date_to.isoformat(),
            )
        )


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class RecordsPage:
    """补录信息查询. The guide names no filter here: every one (签证机构, 证明号, 补录状态, 补录日期) is used
    when the page has it and skipped when not; reading works with none (page through the list)."""

    def __init__(self, page: Page, frame: FrameLocator, profile: PortalProfile) -> None:
        self.page = page
        self.frame = frame
        self.profile = profile
        w = profile.word
        date_from, date_to = date_range(frame, w("补录日期"))
        self.authority = Control(widgets.field(frame, w("签证机构")), "签证机构", "select", w("签证机构"))
        self.cert_no = Control(widgets.field(frame, w("证明号")), "证明号", "text", w("证明号"))
        self.status = Control(widgets.field(frame, w("补录状态")), "补录状态", "select", w("补录状态"))
        self.dates = Control(date_from, "补录日期", "dates", w("补录日期"), date_to)
        self.query_button = widgets.clickable(frame, w("查询"))
        self.table = widgets.table(frame, *map(w, HEADERS))
        self._page_rows: list[dict[str, str]] = []
        """The rows of the page shown now, as read (`details` finds its row among them)."""
        self._set: dict[str, Wanted] = {}
        """Filters this page object left set on the page (by control words)."""

    @property
    def table_words(self) -> str:
        w = self.profile.word
        return f"补录信息列表（表头 {w('证明号')}、{w('补录状态')}）"

    @property
    def wait_ms(self) -> float:
        return self.profile.table_load_s * 1000

    async def search(self, flt: RecordFilter) -> RecordFilter:
        """Sets the filters the page has (clearing those set before that `flt` does not want) and clicks
        【查询】; returns the filter the page applied. A list without 【查询】 (and filters) is read again
        by reloading its page, as a person presses F5."""
        w = self.profile.word
        await widgets.need(self.query_button.or_(self.table).first, self.table_words, keys=HEADERS, within=self.frame)
        await widgets.settled(self.frame, self.profile.loading, self.wait_ms)
        if not await widgets.present(self.query_button):
            await widgets.mark_shown(self.table, self.profile.no_data)
            await self._reload()
            return RecordFilter()
        applied: dict[str, Wanted] = {}
        dates = None if flt.date_from is None and flt.date_to is None else (flt.date_from, flt.date_to)
        wanted: Wanted
        for name, control, wanted in (
            ("authority", self.authority, w(flt.authority) if flt.authority else None),
            ("cert_no", self.cert_no, flt.cert_no),
            ("status", self.status, w(flt.status) if flt.status else None),
            ("dates", self.dates, dates),
        ):
            if self._set.get(control.words) == wanted:
                applied[name] = wanted
                continue
            if wanted is None and control.words not in self._set:
                continue  # the page's own state: left as shown
            if not await widgets.present(control.target):
                continue  # the page has no such filter: the rows are filtered here
            try:
                await set_control(self.frame, control, wanted)
            except widgets.OptionMissing as missing:
                logger.info("补录信息查询：{}，不用此条件", missing)
                continue
            if wanted is None:
                self._set.pop(control.words, None)
            else:
                self._set[control.words] = wanted
                applied[name] = wanted
        await widgets.mark_seen(self.frame)
        await widgets.mark_shown(self.table, self.profile.no_data)
        await self.query_button.click()
        await widgets.settled(self.frame, self.profile.loading, self.wait_ms)
        await widgets.raise_on_trouble([self.frame], self.profile.busy, self.profile.expired)
        return RecordFilter(cert_no=flt.cert_no if applied.get("cert_no") else None)

    async def _reload(self) -> None:
        """F5 on the list's page: its frame navigates to the same address again, within the table's wait.
        A reload that does not finish (no answer, the frame gone) leaves no list to read: a system error
        (the caller reloads the application and tries again), never a raw browser error."""
        try:
            owner = await self.frame.owner.element_handle(timeout=self.wait_ms)
            frame = await owner.content_frame()
            if frame is None:
                raise PortalSystemError("补录信息查询页面已关闭，无法重新载入")
            await frame.goto(frame.url, wait_until="domcontentloaded", timeout=self.wait_ms)
        except PlaywrightError as error:
            logger.debug("reloading 补录信息查询 failed: {}", str(error).strip().splitlines()[:1])
            raise PortalSystemError("补录信息查询页面重新载入未完成（门户未应答？）") from None

    async def pages(self, flt: RecordFilter) -> AsyncIterator[list[dict[str, str]]]:
        """Yields the rows that fit `flt` (the guide's header words → cell text) page by page."""
        w = self.profile.word
        applied = await self.search(flt)
        previous: list[dict[str, str]] | None = None
        while True:
            await widgets.need(self.table, self.table_words, keys=HEADERS, within=self.frame)
            shown = await widgets.answer_rows(
                self.table, self.profile.no_data, w("证明号"), applied.cert_no, exact=True, timeout_ms=self.wait_ms
            )
            if not shown:  # drawn empty with 登录已超时 or 系统繁忙 is no answer: a 补录 may exist all the same
                busy, expired = self.profile.busy, self.profile.expired
                await widgets.raise_on_trouble([self.frame], busy, expired, not_yet_shown=True)
            if shown == previous:  # the pager did not turn (a 下一页 left enabled on the last page)
                return
            previous = shown
            self._page_rows = guide_rows(self.profile, shown, "补录状态", "签证机构")
            yield [r for r in self._page_rows if flt.admits(r)]
            if not await widgets.has_next_page(self.frame):
                return
            await widgets.next_page(self.frame, self.table, self.profile.no_data, self.profile.loading, self.wait_ms)

    async def details(self, row: dict[str, str]) -> dict[str, str]:
        """Opens 【详情】 of a row the current page yielded and reads every field (the guide's words)."""
        w = self.profile.word
        index = next(i for i, shown in enumerate(self._page_rows) if shown is row)
        line = self.table.locator("tbody > tr:has(> td + td)").nth(index)
        link = widgets.clickable(line, w("详情"))
        await widgets.need(link, f"操作列下的 {w('详情')}", keys=("详情",), within=self.frame)
        await link.click()
        box = await widgets.find_layer((self.frame, self.page), w(DETAIL_KEY), self.wait_ms)
        if box is None:
            raise widgets.ElementMissing(f"{w(DETAIL_KEY)}（对话框）", keys=(DETAIL_KEY,))
        content = await widgets.layer_content(box)
        root = content.locator("body") if isinstance(content, FrameLocator) else content
        await widgets.need(root.get_by_text(widgets.exactly(w("回执说明"))).first, w("回执说明"), keys=("回执说明",))
        values: dict[str, str] = await root.evaluate(_PAIRS)
        await widgets.close_layer(box)
        return guide_rows(self.profile, [values], "补录状态", "签证机构")[0]
