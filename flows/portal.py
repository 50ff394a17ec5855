"""Flow: one worker's way through the portal — log in, open the application once, then per row
find the certificate, read 补录信息查询 and submit the 报关单号补录 dialog.

This is the only module the runtime (robot/) talks to; it composes the page objects. Every step is
bounded (`row_deadline_s`; browser calls without a timeout of their own `browser_deadline_s`) and named,
so that a wait never goes unseen; a passing error of one request (`PassingError`) is retried where it
happened (`request_retries`) — 【查询】 or 【补录】 again — never 【提交】, which the runner repeats only after
reading the portal back.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from loguru import logger
from playwright.async_api import BrowserContext, FrameLocator, Page
from playwright.async_api import Error as PlaywrightError

from flows import widgets
from flows.enterprise import check_enterprise
from flows.login import log_in, open_start, reach_login
from flows.pages.app_shell import AppShell
from flows.pages.document_watch import DocumentWatch
from flows.pages.login_page import LoginPage, captcha_word
from flows.pages.notice import NoticeLayer
from flows.pages.portal_home import PortalHome
from flows.pages.records_page import RecordFilter, RecordsPage
from flows.pages.search_page import Criteria, FoundCertificate, SearchPage
from flows.pages.supplement_dialog import QUIETLY_CLOSED, SupplementDialog
from flows.pages.supplement_entry import SupplementEntry
from flows.profile import load_profile
from robot.core.captcha import CaptchaSolver
from robot.core.config import Settings
from robot.core.deadlines import bounded
from robot.core.errors import DeadlineExceeded, PassingError, PortalSystemError, SessionExpired
from robot.core.model import Authority, Task
from robot.core.portal import Found, ListChanged, ListSearch, SupplementRecord, shown_numbers

MENU_SUPPLEMENT = "报关单号补录"
MENU_RECORDS = "补录信息查询"
NOT_SUPPLEMENTED = "未补录"
LIST_ONLY_COLUMNS = ("序号", "操作")
T = TypeVar("T")
WORKLIST_COLUMNS = ("证明号", "出口商代码", "证明类型", "证明创建日期", "补录状态")
"""查询结果 columns that `certificates` hands on (named as the input workbook's columns)."""


def record_from_row(row: dict[str, str]) -> SupplementRecord:
    return SupplementRecord(
        cert_no=row.get("证明号", ""),
        authority=row.get("签证机构", ""),
        exported=row.get("是否实际出口", "") == "是",
        declaration_nos=shown_numbers(row.get("报关单号", "")),
        status=row.get("补录状态", ""),
        submitted_at=row.get("补录时间", ""),
        fields=_entry(row),
    )


def _entry(row: dict[str, str]) -> dict[str, str]:
    """A list row without the columns only the list has (序号, 操作, a checkbox column)."""
    return {k: v for k, v in row.items() if k and k not in LIST_ONLY_COLUMNS}


@dataclass(frozen=True)
class ListedCertificates:
    """One result page of a walk down the list (implements robot.core.portal.ListedPage)."""

    number: int
    certificates: Mapping[str, FoundCertificate]
    worker: PortalWorker
    listing: int

    def current(self) -> bool:
        return self.worker.listing == self.listing


class PortalWorker:
    """A logged-in application window in its own browser context (one per worker); implements the
    engine's port `robot.core.portal.PortalClient`."""

    def __init__(
        self, context: BrowserContext, settings: Settings, solver_for: Callable[[BrowserContext], CaptchaSolver]
    ) -> None:
        self.context = context
        self.settings = settings
        self.solver = solver_for(context)
        self.profile = load_profile(settings.portal_profile)
        widgets.use_timeout(settings.action_timeout_ms)
        self.watch = DocumentWatch(captcha_word(self.profile))
        self.watch.watch(context)
        self.app: Page | None = None
        self._authority: Authority | None = None
        self._search: SearchPage | None = None
        self._records: RecordsPage | None = None
        self._tab: str | None = None
        """The application tab in front, as far as this worker made it so (None = unknown)."""
        self._dialog: SupplementDialog | None = None
        self._task: Task | None = None
        """The row of the prepared dialog."""
        self._status_before = ""
        """补录状态 of the prepared row's certificate before 【提交】 (a silent close is judged by its change)."""
        self._missing = ""
        """The guide's words last not found on the page (shown on the next evidence screenshot)."""
        self._animations_cut = False
        self._dialog_at: int | None = None
        """Where the 补录 dialog opened (SupplementDialog.at): looked for there only from then on."""
        self.listing = 0
        """Changes whenever the search page may show something else than the list page last walked to
        (another search, a page turn, a reload): a listed certificate of an older value is searched again."""
        """A 补录 dialog opened and filled by `prepare`, waiting for `send` or `cancel`."""

    @property
    def page(self) -> Page:
        if self.app is None:
            raise PortalSystemError("应用窗口未打开")
        return self.app

    async def connect(self) -> None:
        """Guide steps 1–6: log in (unless the context's cookies are still good), 原产地,
        海关原产地证书 (new window). Pages of an older try are closed."""
        await bounded(
            self.watch.guard(self._connect(), login_is_failure=False),
            self.settings.row_deadline_s,
            "进入门户（登录、打开应用）",
        )

    async def _connect(self) -> None:
        deadline = self.settings.browser_deadline_s
        if not self.profile.animations and not self._animations_cut:
            await bounded(widgets.cut_animations(self.context), deadline, "关闭页面动画")
            self._animations_cut = True
        for old in list(self.context.pages):
            await bounded(old.close(), deadline, "关闭旧页面")
        self.app = None
        self.forget_pages()
        home_page = await bounded(self.context.new_page(), deadline, "新建页面")
        await NoticeLayer(home_page, self.profile).close_whenever_shown()
        home = PortalHome(home_page, self.profile)
        start = self.profile.start(self.settings.portal_url)
        await open_start(home_page, start)
        if await reach_login(home_page, self.profile):
            await log_in(
                home_page,
                start,
                self.settings.username,
                self.settings.password,
                self.solver,
                self.settings.captcha_attempts,
                self.profile,
                operator_may_help=self.settings.headed,
            )
        self.watch.login_seen = False
        if not await home.shows():  # after logging in, some portals stay where they were
            await open_start(home_page, start)
        apps = await home.open_origin()
        self.app = await apps.open_customs_certificates(self.settings.navigation_timeout_ms / 1000)
        await NoticeLayer(self.app, self.profile).close_whenever_shown()
        await AppShell(self.app, self.profile).wait_ready()
        if self.settings.enterprise:  # refuse to work rows under another enterprise than configured
            await check_enterprise(self.app, self.settings.enterprise, self.settings.action_timeout_ms)

    def forget_pages(self) -> None:
        self._authority, self._search, self._records, self._tab, self._dialog = None, None, None, None, None
        self.listing += 1

    async def ensure_connected(self) -> None:
        if self.app is None or self.app.is_closed() or await LoginPage(self.app, self.profile).shows():
            logger.info("(re)connecting to the portal")
            await self.connect()

    async def reset(self, session_expired: bool = False) -> None:
        """After a system error: reload the application window (all tabs closed), or log in again."""
        if session_expired or self.app is None or self.app.is_closed():
            self.app = None
            return
        self.forget_pages()
        try:
            await self._step("重新载入应用", AppShell(self.app, self.profile).reload())
        except (PlaywrightError, PortalSystemError):
            self.app = None

    def explain(self, error: Exception) -> Exception:
        explained = classify(error, self)
        if isinstance(explained, widgets.ElementMissing):
            self._missing = explained.words  # named again on the row's screenshot
        return explained

    async def responsive(self) -> bool:
        """Whether the application window still answers at all (a frozen renderer or browser does not)."""
        if self.app is None or self.app.is_closed():
            return True  # nothing to ask: the next attempt opens a new window
        try:
            await bounded(self.app.evaluate("1"), self.settings.browser_deadline_s, "检查页面是否有响应")
        except DeadlineExceeded:
            return False
        except PlaywrightError:  # it answered, if only with an error (e.g. a navigation under way)
            return True
        return True

    async def _step(self, what: str, work: Awaitable[T]) -> T:
        """One named step: broken documents abort it (DocumentWatch), and it ends by row_deadline_s. A
        Playwright error leaves it as a system error naming the step (its locator only in the log). Its
        time goes to the log at debug level (`step`, `seconds`: the benchmark's phases per row)."""
        started = time.perf_counter()
        try:
            return await bounded(self.watch.guard(work), self.settings.row_deadline_s, what)
        except PlaywrightError as error:
            if self.logged_out():
                raise SessionExpired("门户会话已过期，需重新登录") from error
            raise widgets.readable(error, what) from error
        finally:
            seconds = time.perf_counter() - started
            logger.bind(step=what, seconds=seconds).debug("step {} took {:.3f} s", what, seconds)

    async def _retried(self, what: str, work: Callable[[], Awaitable[T]]) -> T:
        """A step whose passing errors (5xx 系统繁忙, no answer, dialog not opening) are retried in place:
        the page is still good, so the same action is simply done again (no reload)."""
        for retry in range(self.settings.request_retries + 1):
            try:
                return await self._step(what, work())
            except PassingError as error:
                if retry >= self.settings.request_retries or self.logged_out():
                    raise
                logger.info("{}：{}，原地重试（第{}次）", what, error, retry + 1)
        raise AssertionError("unreachable")

    def logged_out(self) -> bool:
        """True when the portal has sent this window back to its login page."""
        return self.app is not None and not self.app.is_closed() and self.watch.login_seen

    async def _focus(self, item: str) -> FrameLocator:
        """Brings the tab `item` to the front (opening it from the menu) unless it already is."""
        shell = AppShell(self.page, self.profile)
        if self._tab != item:
            self._tab = None
            await shell.open_page(item)
            self._tab = item
        return shell.front()

    def _dialog_in(self, frame: FrameLocator) -> SupplementDialog:
        """The 补录 dialog of the search page in `frame` (looked for where it opened before)."""
        return SupplementDialog(self.page, frame, self.profile, self._dialog_at)

    async def open_menu(self, item: str) -> FrameLocator:
        """Steps 5–6: the menu page `item` (MENU_SUPPLEMENT or MENU_RECORDS) in front."""
        return await self._step(f"打开【{self.profile.word(item)}】", self._focus(item))

    async def search_page(self, authority: Authority) -> SearchPage:
        """Step 7: the search page of `authority`, as a row reaches it."""
        return await self._step(f"选择【{authority.certificate_label}】", self._search_page(authority))

    async def _search_page(self, authority: Authority) -> SearchPage:
        if self._search is not None and self._authority == authority:
            await self._focus(MENU_SUPPLEMENT)
            return self._search
        if self._search is not None:
            await AppShell(self.page, self.profile).reload()
            self.forget_pages()
        frame = await self._focus(MENU_SUPPLEMENT)
        await SupplementEntry(frame, self.profile).choose(authority)
        self._search, self._authority = SearchPage(frame, self.profile), authority
        return self._search

    async def records_page(self) -> RecordsPage:
        frame = await self._focus(MENU_RECORDS)
        if self._records is None:
            self._records = RecordsPage(self.page, frame, self.profile)
        return self._records

    async def find_certificate(self, task: Task) -> FoundCertificate | None:
        return await self._retried("查询证书", lambda: self._find_certificate(task))

    async def _find_certificate(self, task: Task) -> FoundCertificate | None:
        """Step 8: combined search with what the row gives, paging until the 证明号 shows."""
        search = await self._search_page(task.authority)
        # A dialog left open by a 【提交】 that failed in passing (5xx) covers 【查询】: close it first.
        await self._dialog_in(search.frame).close_if_open()
        criteria = Criteria(task.cert_no, task.exporter_code, task.cert_type, task.created_on, task.created_on)
        self.listing += 1
        errors = self.watch.request_errors
        found = await search.find(criteria, task.cert_no)
        # 未找到 ends the row for good, so a second answer must say so too: the first may have come with a
        # 登录已超时 or 系统繁忙 already gone, or put up after the table was drawn.
        if found is None:
            found = await search.find(criteria, task.cert_no)
        if found is None and not self.watch.answer_trusted(errors):
            raise PassingError("查询证书时门户请求失败，“未找到”不可信")
        return found

    async def list_pages(self, search: ListSearch) -> AsyncGenerator[ListedCertificates, None]:
        """Step 8 once for many rows: 【查询】 with the criteria they share, then page after page."""
        criteria = Criteria(None, search.exporter_code, search.cert_type, search.created_on, search.created_on)
        page = await self._step("查询证书", self._list_search(search))
        walk = page.pages(criteria)
        number, mine = 0, self.listing
        try:
            while True:
                if number and self.listing != mine:
                    raise ListChanged("结果列表已变化（页面已重新查询或载入）")
                if number:  # a dialog left open (a refused 【提交】) covers the pager
                    await self._step("翻页", self._dialog_in(page.frame).close_if_open())
                rows = await self._step("查询证书" if not number else "翻页", anext(walk, None))
                if rows is None:
                    return
                self.listing += 1
                number, mine = number + 1, self.listing
                yield ListedCertificates(number, page.listed(rows, mine), self, mine)
        finally:
            await walk.aclose()

    async def _list_search(self, search: ListSearch) -> SearchPage:
        page = await self._search_page(search.authority)
        await self._dialog_in(page.frame).close_if_open()
        self.listing += 1
        return page

    async def all_supplements(self, since: date) -> list[SupplementRecord]:
        return await self._retried("读取补录信息", lambda: self._all_supplements(since))

    async def _all_supplements(self, since: date) -> list[SupplementRecord]:
        """Every 补录 made since `since` (both authorities), walking all pages of 补录信息查询."""
        records = await self.records_page()
        found: list[SupplementRecord] = []
        errors = self.watch.request_errors
        async for rows in records.pages(RecordFilter(date_from=since)):
            found.extend(record_from_row(r) for r in rows)
        if not self.watch.answer_trusted(errors):
            raise PassingError("读取补录信息时门户请求失败，结果不可信")
        return found

    async def harvest(
        self,
        authority: Authority | None,
        date_from: date | None,
        date_to: date | None,
        status: str | None,
        details: bool,
    ) -> AsyncIterator[list[dict[str, str]]]:
        """补录信息查询 page by page: each entry's fields as the portal names them (详情 merged in)."""
        records = await self.records_page()
        flt = RecordFilter(authority.value if authority else None, None, status, date_from, date_to)
        async for rows in records.pages(flt):
            entries = [_entry(row) for row in rows]
            if details:
                for row, entry in zip(rows, entries, strict=True):
                    entry.update(await self.read_details(records, row))
            yield entries

    async def read_details(self, records: RecordsPage, row: dict[str, str]) -> dict[str, str]:
        """【详情】 of a row `records` yielded, read as `harvest --details` and `failure_reason` read it."""
        return await self._step("读取【详情】", records.details(row))

    async def certificates(
        self, authority: Authority, exporter_code: str | None, created_from: date | None, created_to: date | None
    ) -> AsyncIterator[list[dict[str, str]]]:
        """报关单号补录 search results of one authority, page by page, named like the input columns
        (签证机构, 证明号, 出口商代码, 证明类型, 证明创建日期) plus the portal's 补录状态."""
        search = await self._search_page(authority)
        async for rows in search.pages(Criteria(None, exporter_code, None, created_from, created_to)):
            yield [
                {
                    "签证机构": authority.value,
                    **{column: r.get(column, "") for column in WORKLIST_COLUMNS},
                }
                for r in rows
            ]

    async def failure_reason(self, task: Task) -> str:
        return await self._retried("读取回执说明", lambda: self._failure_reason(task))

    async def _failure_reason(self, task: Task) -> str:
        """回执说明 from 详情 of this certificate's latest matching 补录."""
        records = await self.records_page()
        async for rows in records.pages(RecordFilter(authority=task.authority.value, cert_no=task.cert_no)):
            for row in rows:
                if record_from_row(row).matches(task):
                    return (await records.details(row)).get("回执说明", "")
        return ""

    async def find_supplements(self, task: Task) -> list[SupplementRecord]:
        return await self._retried("查询补录记录", lambda: self._find_supplements(task))

    async def _find_supplements(self, task: Task) -> list[SupplementRecord]:
        """Every 补录 of this certificate that 补录信息查询 lists."""
        records = await self.records_page()
        found: list[SupplementRecord] = []
        errors = self.watch.request_errors
        async for rows in records.pages(RecordFilter(authority=task.authority.value, cert_no=task.cert_no)):
            found.extend(record_from_row(r) for r in rows if r.get("证明号") == task.cert_no)
        if not self.watch.answer_trusted(errors):  # a page drawn after a failed request may lack an entry
            raise PassingError("查询补录记录时门户请求失败，结果不可信")
        return found

    async def prepare(self, found: Found, task: Task) -> None:
        """Steps 9–10: 【补录】, then 是/否 and the numbers; the dialog stays open for `send`."""
        assert isinstance(found, FoundCertificate), "prepare takes what find_certificate found"
        await self._retried("打开补录对话框", lambda: self._prepare(found, task))

    async def _prepare(self, found: FoundCertificate, task: Task) -> None:
        search = await self._search_page(task.authority)
        dialog = self._dialog_in(search.frame)
        if found.listing:  # from a walk down the list: still that page, and the certificate still on it?
            if found.listing != self.listing:
                raise ListChanged("结果列表已变化")
            await dialog.close_if_open()  # left open by a refused 【提交】 of the row before
            if not await search.still_lists(found):
                raise ListChanged("证书已不在结果列表的这一页上")
        await dialog.open_from(
            search.supplement_button(found),
            task.cert_no,
            self.settings.dialog_open_timeout_ms,
            self.settings.navigation_timeout_ms,
        )
        self._dialog_at = dialog.at
        await dialog.fill(task.exported, task.declarations_text)
        self._dialog, self._task, self._status_before = dialog, task, found.supplement_status

    async def send(self) -> str:
        """Step 11: 【提交】 of the prepared dialog; returns the portal's message. A dialog that closed
        without a message is judged by the row's 补录状态, read back from the search."""
        dialog, self._dialog = self._dialog, None
        task, self._task = self._task, None
        if dialog is None or task is None:
            raise PortalSystemError("补录对话框未准备好")
        said = await self._step("提交", dialog.submit())
        if said != QUIETLY_CLOSED:
            return said
        found = await self.find_certificate(task)
        # A certificate supplemented before (a refused or corrected 补录) already shows a status: only a
        # changed one says this 【提交】 took; else the protocol reads 补录信息查询 back before sending again.
        if found is not None and found.already_supplemented and found.supplement_status != self._status_before:
            return f"提交后对话框已关闭，补录状态：{found.supplement_status}"
        raise PortalSystemError("提交后对话框已关闭但没有提示，补录状态未变：先查询补录信息再决定是否重新提交")

    async def cancel(self) -> None:
        """【取消】 of the prepared dialog (dry runs)."""
        dialog, self._dialog, self._task = self._dialog, None, None
        if dialog is not None:
            await self._step("取消对话框", dialog.cancel())

    async def evidence(self, folder: Path, name: str) -> list[Path]:
        """A screenshot of the application window with secret fields masked."""
        if self.app is None or self.app.is_closed():
            return []
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{name}.png"
        missing, self._missing = self._missing, ""
        try:
            if missing:
                await self.app.evaluate(_BANNER, f"corobot：页面上未找到【{missing}】")
            mask = [self.app.locator(s) for s in LoginPage.SECRET_SELECTORS]
            await bounded(self.app.screenshot(path=str(shot), mask=mask), self.settings.browser_deadline_s, "截图")
            if missing:
                await self.app.evaluate("() => document.getElementById('corobot-banner')?.remove()")
        except (PlaywrightError, PortalSystemError) as error:
            logger.warning("screenshot failed: {}", error)
            return []
        return [shot]


_BANNER = """text => { const b = document.createElement('div'); b.id = 'corobot-banner'; b.textContent = text;
  b.style.cssText = 'position:fixed;left:0;right:0;bottom:0;z-index:2147483647;padding:6px 12px;' +
    'background:#c0392b;color:#fff;font:bold 16px sans-serif'; document.body.append(b); }"""
"""A red line at the bottom of an evidence screenshot naming the guide's words that were not found."""


def classify(error: Exception, worker: PortalWorker) -> Exception:
    """Maps Playwright trouble to the robot's error kinds (login page shown → SessionExpired); what a
    person reads names the step, never a locator (that goes to the log file)."""
    if worker.logged_out():
        return SessionExpired("门户会话已过期，需重新登录")
    if isinstance(error, PlaywrightError):
        return widgets.readable(error)
    return error
