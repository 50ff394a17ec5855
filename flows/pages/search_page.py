"""Page object: the 补录 search page (steps 8–9): criteria by their labels, 【查询】, the result table
read by its header texts, its pager, and a certificate's row found by its 证明号 text.

Only what the row sets is filled (证明号 always; 证明类型, 出口商代码, 证明创建日期 when the row gives
them); every other control stays as the page shows it, except a value this page object typed for an
earlier row, which is cleared again (a select back to its empty choice, whatever it reads). When a
certificate is not found and the page had set a criterion of its own (a default date range, say),
those are cleared and the search is made once more.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from playwright.async_api import FrameLocator, Locator

from flows import widgets
from flows.profile import PortalProfile

CERT_NO = "证明号"
STATUS = "补录状态"
SUPPLEMENT = "补录"
NOT_SUPPLEMENTED = "未补录"
HEADERS = (CERT_NO, STATUS)
"""Header texts (profile word keys) that tell the result table (查询结果) from any other table."""

Kind = Literal["select", "text", "dates"]
Dates = tuple[date | None, date | None]


@dataclass(frozen=True)
class Criteria:
    """The search fields of step 8; any combination, None = not set by the row."""

    cert_no: str | None = None
    exporter_code: str | None = None
    cert_type: str | None = None
    created_from: date | None = None
    created_to: date | None = None


@dataclass(frozen=True)
class FoundCertificate:
    """A certificate row in 查询结果: its cells by header text (the guide's words) and its row locator."""

    cells: dict[str, str]
    row: Locator
    listing: int = 0
    """The list walk it was read in (flows.portal.PortalWorker.list_pages), 0 = found by its own search."""

    @property
    def supplement_status(self) -> str:
        return self.cells.get(STATUS, "")

    @property
    def already_supplemented(self) -> bool:
        """The portal shows a 补录 status other than 未补录 for this certificate."""
        return self.supplement_status not in ("", NOT_SUPPLEMENTED)


@dataclass(frozen=True)
class Control:
    """A criterion's control: its locator, the profile word key of its label, its kind; a date range's
    second field (止) in `second` (unused when the page has one range field)."""

    target: Locator
    key: str
    kind: Kind
    words: str
    second: Locator | None = None

    async def holds_value(self) -> bool:
        if await widgets.holds_value(self.target):
            return True
        return (
            self.second is not None
            and await widgets.present(self.second)
            and not await widgets.is_range(self.target)
            and await widgets.holds_value(self.second)
        )


def date_range(frame: FrameLocator, label: str) -> tuple[Locator, Locator]:
    """The 起 and 止 fields of a date range: labelled `label起`/`label止`, or two after one `label`."""
    split = (widgets.field(frame, f"{label}起"), widgets.field(frame, f"{label}止"))
    together = (widgets.field(frame, label), widgets.field(frame, label, nth=2))
    return split[0].or_(together[0]).first, split[1].or_(together[1]).first


Wanted = str | Dates | None


async def set_control(frame: FrameLocator, control: Control, wanted: Wanted) -> None:
    """Fills `wanted` into a control the step needs (it must be there), or clears it (None) when it is
    there and holds something."""
    if wanted == (None, None):
        wanted = None
    if wanted is None:
        if not await widgets.present(control.target) or not await control.holds_value():
            return
    elif control.kind == "text":  # typed as soon as the field is there (else the step fails as `need` does)
        await widgets.press(control.target, control.words, keys=(control.key,), within=frame, fill=str(wanted))
        return
    else:
        await widgets.need(control.target, control.words, keys=(control.key,), within=frame)
    if control.kind == "select":
        if wanted is None:
            await widgets.clear_choice(control.target)
        else:
            await widgets.choose_option(control.target, str(wanted), control.words)
    elif control.kind == "dates":
        start, end = wanted if isinstance(wanted, tuple) else (None, None)
        await widgets.set_dates(frame, control.target, control.second or control.target, start, end)
    else:
        await control.target.fill("" if wanted is None else str(wanted))


def guide_rows(profile: PortalProfile, rows: list[dict[str, str]], *value_columns: str) -> list[dict[str, str]]:
    """Rows keyed by the guide's words (headers the profile renames are named back), the texts of
    `value_columns` (statuses) too."""
    named = [{profile.guide_word(k): v for k, v in r.items()} for r in rows]
    for r in named:
        for column in value_columns:
            if column in r:
                r[column] = profile.guide_word(r[column])
    return named


class SearchPage:
    def __init__(self, frame: FrameLocator, profile: PortalProfile) -> None:
        self.frame = frame
        self.profile = profile
        w = profile.word
        created_from, created_to = date_range(frame, w("证明创建日期"))
        self.cert_no = Control(widgets.field(frame, w(CERT_NO)), CERT_NO, "text", w(CERT_NO))
        self.exporter_code = Control(widgets.field(frame, w("出口商代码")), "出口商代码", "text", w("出口商代码"))
        self.cert_type = Control(widgets.field(frame, w("证明类型")), "证明类型", "select", w("证明类型"))
        self.created = Control(created_from, "证明创建日期", "dates", w("证明创建日期"), created_to)
        self.query_button = widgets.clickable(frame, w("查询"))
        self.table = widgets.table(frame, *map(w, HEADERS))
        self._last: Criteria | None = None
        self._page_set: list[Control] = []
        """Controls the page itself had set on its first search (criteria the row does not give)."""

    @property
    def wait_ms(self) -> float:
        return self.profile.table_load_s * 1000

    def _controls(self, criteria: Criteria) -> list[tuple[Control, Wanted]]:
        created = (criteria.created_from, criteria.created_to)
        return [
            (self.cert_type, criteria.cert_type),
            (self.exporter_code, criteria.exporter_code),
            (self.cert_no, criteria.cert_no),
            (self.created, None if created == (None, None) else created),
        ]

    async def search(self, criteria: Criteria) -> None:
        """Fills what the row sets and clicks 【查询】; returns when the table shows the answer.

        Fields already holding the wanted value (from this page's previous search) are left alone.
        The page may still be running a query of its own (once on load, again after each 【提交】):
        【查询】 for a 证明号 need not wait for it, as its answer is told apart by the rows (every one is
        that 证明号); a search without one (a list) lets it finish first (for at most a few seconds: a
        hung one is superseded), as nothing tells its rows from the answer's.
        """
        last = self._last
        earlier = [v for _, v in self._controls(last or Criteria())]
        for (control, wanted), before in zip(self._controls(criteria), earlier, strict=True):
            if last is not None and before == wanted:
                continue
            if last is None and wanted is None:  # the page's own state: left as shown
                if await widgets.present(control.target) and await control.holds_value():
                    self._page_set.append(control)
                continue
            await set_control(self.frame, control, wanted)
        self._last = None  # unknown until the query has been answered
        if criteria.cert_no is None:  # a list's answer cannot be told from the page's own refresh: let it end
            await widgets.let_refresh_end(self.frame, self.profile.loading)
        await widgets.mark_seen(self.frame)
        await widgets.mark_shown(self.table, self.profile.no_data)
        await widgets.press(self.query_button, self.profile.word("查询"), keys=("查询",), within=self.frame)
        await widgets.settled(self.frame, self.profile.loading, self.wait_ms)
        await widgets.raise_on_trouble([self.frame], self.profile.busy, self.profile.expired)
        self._last = criteria

    async def shown_rows(self, criteria: Criteria) -> list[dict[str, str]]:
        w = self.profile.word
        await widgets.need(self.table, f"查询结果（表头 {w(CERT_NO)}、{w(STATUS)}）", keys=HEADERS, within=self.frame)
        shown = await widgets.answer_rows(
            self.table, self.profile.no_data, w(CERT_NO), criteria.cert_no, exact=False, timeout_ms=self.wait_ms
        )
        if not shown:  # drawn empty with 登录已超时 or 系统繁忙 (a message not shown yet) is no answer
            await widgets.raise_on_trouble([self.frame], self.profile.busy, self.profile.expired, not_yet_shown=True)
        return guide_rows(self.profile, shown, STATUS)

    async def pages(self, criteria: Criteria) -> AsyncGenerator[list[dict[str, str]], None]:
        """Yields the rows (the guide's header words → cell text) of every result page, as shown."""
        await self.search(criteria)
        previous: list[dict[str, str]] | None = None
        while True:
            shown = await self.shown_rows(criteria)
            if shown == previous:  # the pager did not turn (a 下一页 left enabled on the last page)
                return
            previous = shown
            yield shown
            if not await widgets.has_next_page(self.frame):
                return
            await widgets.next_page(self.frame, self.table, self.profile.no_data, self.profile.loading, self.wait_ms)

    async def find(self, criteria: Criteria, cert_no: str) -> FoundCertificate | None:
        """Searches, then pages through the results until the row whose 证明号 is `cert_no`; when it is
        not there and the page had narrowed the search by itself, once more without that."""
        for _ in range(2):
            async for rows in self.pages(criteria):
                for cells in rows:
                    if cells.get(CERT_NO) == cert_no:
                        return FoundCertificate(cells, widgets.row_with(self.table, cert_no))
            if not self._page_set:
                return None
            page_set, self._page_set = self._page_set, []
            for control in page_set:
                await set_control(self.frame, control, None)
        return None

    def listed(self, rows: list[dict[str, str]], listing: int) -> dict[str, FoundCertificate]:
        """A result page's certificates by 证明号, as a walk down the list (`listing`) read them."""
        return {
            cells[CERT_NO]: FoundCertificate(cells, widgets.row_with(self.table, cells[CERT_NO]), listing)
            for cells in rows
            if cells.get(CERT_NO)
        }

    async def still_lists(self, found: FoundCertificate) -> bool:
        """Whether the table still shows `found`. The page's own refresh after a 【提交】 redraws the same
        page: it is waited for only when the row is not there now (the rows may be between two draws)."""
        if await widgets.present(found.row):
            return True
        await widgets.settled(self.frame, self.profile.loading, self.wait_ms)
        return await widgets.present(found.row)

    def supplement_button(self, found: FoundCertificate) -> Locator:
        return widgets.clickable(found.row, self.profile.word(SUPPLEMENT))
