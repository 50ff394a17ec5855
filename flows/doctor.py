"""Flow: `corobot doctor`, a site survey. Walks the guide's steps 一.1–9 (报关单号补录) and 二.1–7
(补录信息查询) read-only — it opens a 补录 dialog, fills it and cancels it, it never submits — and tells
for each step whether the guide's words were found, and what was seen instead.

From step 一.6 on, the survey makes the robot's own calls (flows.portal.PortalWorker), read-only: the
search as `run` makes it (first with the run's default criteria, then for one listed certificate by
its 证明号), one 补录 dialog prepared and cancelled as a dry run does, 补录信息查询 read as receipts
are read by `run` and `reconcile`, and one 【详情】 read as `harvest --details` reads it. So "all found"
means a run will work. When a step is not found and the page shows a near match of the words looked
for, the step names the `[words]` line of the portal profile that would adapt the robot.

The bundle (screenshots, HTML of failing steps) is written by the caller through `Snap`; this flow
knows nothing of files.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from loguru import logger
from playwright.async_api import BrowserContext, FrameLocator, Locator, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows import widgets
from flows.login import log_in, open_start, reach_login
from flows.near_words import shown_texts, suggestions
from flows.pages.app_shell import MENU_GROUP, AppShell
from flows.pages.login_page import LoginPage
from flows.pages.notice import NoticeLayer
from flows.pages.portal_home import CUSTOMS_CERTIFICATES, ORIGIN, STANDARD_APPS, OriginApps, PortalHome
from flows.pages.records_page import DETAIL_KEY, RecordFilter
from flows.pages.search_page import CERT_NO, NOT_SUPPLEMENTED, STATUS, Criteria, FoundCertificate
from flows.pages.supplement_dialog import TITLE_KEY as DIALOG_KEY
from flows.pages.supplement_entry import choice_key
from flows.portal import MENU_RECORDS, MENU_SUPPLEMENT, PortalWorker
from flows.profile import PortalProfile
from robot.core.captcha import CaptchaSolver
from robot.core.config import Settings
from robot.core.errors import CorobotError, PageChanged, PortalSystemError
from robot.core.model import Authority, Task
from robot.core.secrets import Secret

FOUND, MISSING, NOT_CHECKED = "找到", "未找到", "未检查"
RECEIPTS_SINCE_DAYS = 30
"""How far back doctor reads 补录信息查询 as `run` reads receipts."""


@dataclass
class StepResult:
    step: str
    """The guide's step number, e.g. 一.6 or 二.7."""
    words: str
    """The guide's words looked for."""
    state: str = NOT_CHECKED
    seen: list[str] = field(default_factory=list)
    """What was seen instead (short visible texts near the spot), when not found."""
    note: str = ""
    advice: list[str] = field(default_factory=list)
    """`[words]` lines of the portal profile that would adapt the robot (near matches seen)."""

    def line(self) -> str:
        text = f"[{self.step}] {self.state:<3} {self.words}"
        if self.note:
            text += f"  {self.note}"
        if self.seen:
            text += "  看到的是：" + "、".join(self.seen)
        for advice in self.advice:
            text += f"\n      建议：在门户配置文件（portal_profile）的 [words] 表中写一行  {advice}"
        return text


Snap = Callable[[StepResult, Page], Awaitable[None]]
"""Called after each step walked, with the window to photograph (the caller writes the bundle)."""


def guide_steps(profile: PortalProfile) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The guide's steps (number, words looked for) of sections 一 and 二, in this portal's words."""
    w = profile.word
    one = (
        ("一.1", "门户网站（起始地址）"),
        ("一.2", f"【{w('登录')}】（{w('用户名')}、密码、{w('验证码')}）"),
        ("一.3", f"{w(STANDARD_APPS)} →【{w(ORIGIN)}】"),
        ("一.4", f"【{w(CUSTOMS_CERTIFICATES)}】"),
        ("一.5", f"左侧菜单【{w(MENU_GROUP)}】"),
        ("一.6", f"【{w(MENU_SUPPLEMENT)}】"),
        ("一.7", f"【{w(choice_key(Authority.CUSTOMS))}】→ 补录界面【{w('查询')}】"),
        (
            "一.8",
            f"{w('证明类型')}、{w('出口商代码')}、{w('证明创建日期')}、{w(CERT_NO)}、【{w('查询')}】、"
            f"查询结果表（{w(CERT_NO)}、{w(STATUS)}）",
        ),
        (
            "一.9",
            f"操作列【{w('补录')}】→ {w(DIALOG_KEY)}（{w(CERT_NO)}、{w('是否实际出口')} {w('是')}/{w('否')}、"
            f"{w('报关单号')}、【{w('提交')}】【{w('取消')}】）",
        ),
    )
    two = (
        *((f"二.{n[2:]}", words) for n, words in one[:5]),
        ("二.6", f"【{w(MENU_RECORDS)}】"),
        ("二.7", f"操作列【{w('详情')}】→ {w(DETAIL_KEY)}"),
    )
    return one, two


@dataclass
class Survey:
    context: BrowserContext
    start_url: str
    username: str
    password: Secret
    solver: CaptchaSolver
    captcha_attempts: int
    profile: PortalProfile
    snap: Snap
    operator_may_help: bool = False
    settings: Settings | None = None
    """The run's settings (timeouts, retries): the robot's worker walks 一.6 on with them."""
    results: list[StepResult] = field(default_factory=list)
    _page: Page | None = None
    _app: Page | None = None
    _worker: PortalWorker | None = None
    _task: Task | None = None
    """A certificate the 补录 search listed (its row as `run` would work it, never submitted)."""
    _found: FoundCertificate | None = None

    def __post_init__(self) -> None:
        self.guide_one, self.guide_two = guide_steps(self.profile)
        self.words = dict(self.guide_one + self.guide_two)

    async def _step(
        self,
        step: str,
        work: Callable[[], Awaitable[None]],
        near: Callable[[], Page | FrameLocator | Locator] | None = None,
    ) -> bool:
        result = StepResult(step, self.words[step])
        self.results.append(result)
        try:
            await self._twice_when_slow(work)
            result.state = FOUND
        except _Empty as empty:
            result.state, result.note = FOUND, str(empty)
        except (widgets.ElementMissing, PlaywrightError, CorobotError) as error:
            result.state = MISSING
            if isinstance(error, widgets.ElementMissing):
                result.note = f"缺少：{error.words}"
            elif isinstance(error, PlaywrightError):
                result.note = str(widgets.readable(error, "此步"))
            else:
                result.note = str(error).splitlines()[0][:160]
            scope = near() if near else self._window()
            result.seen = await widgets.texts_near(scope)
            if isinstance(error, widgets.ElementMissing) and error.keys:
                texts = await shown_texts(dict.fromkeys([self._window(), scope]))
                result.advice = suggestions(self.profile, error.keys, texts)
        await self.snap(result, self._window())
        return result.state == FOUND

    @staticmethod
    async def _twice_when_slow(work: Callable[[], Awaitable[None]]) -> None:
        """`work`, once more after a system error (a page that did not answer in time, a busy portal):
        `run` tries a row again after one, so doctor's 未找到 must not come from one either."""
        try:
            await work()
        except (PortalSystemError, PlaywrightTimeout) as error:
            if isinstance(error, PageChanged):  # the words are not there: no second look changes that
                raise
            logger.debug("doctor: {} — trying the step once more", str(error).splitlines()[0])
            await work()

    def _window(self) -> Page:
        page = self._app or self._page
        assert page is not None
        return page

    def _skip(self, *steps: tuple[str, str], because: str) -> None:
        """Steps that cannot be walked because an earlier one failed."""
        for step, words in steps:
            self.results.append(StepResult(step, words, NOT_CHECKED, note=f"（依赖 {because}）"))

    async def walk(self) -> list[StepResult]:
        self._page = await self.context.new_page()
        await NoticeLayer(self._page, self.profile).close_whenever_shown()
        if not await self._step("一.1", self._open):
            self._skip(*self.guide_one[1:], *self.guide_two, because="一.1")
            return self.results
        if not await self._step("一.2", self._log_in):
            self._skip(*self.guide_one[2:], *self.guide_two, because="一.2")
            return self.results
        shared = await self._walk_to_menu()
        if shared:
            await self._walk_supplement()
        else:
            self._skip(*self.guide_one[len(self.results) :], because=self.results[-1].step)
        self._repeat_shared()
        if shared:
            await self._walk_records()
        else:
            self._skip(*self.guide_two[5:], because="一.5")
        return self.results

    async def _open(self) -> None:
        assert self._page is not None
        await open_start(self._page, self.start_url)

    async def _log_in(self) -> None:
        assert self._page is not None
        if await reach_login(self._page, self.profile):
            await log_in(
                self._page,
                self.start_url,
                self.username,
                self.password,
                self.solver,
                self.captcha_attempts,
                self.profile,
                self.operator_may_help,
            )
        if await LoginPage(self._page, self.profile).shows():
            raise widgets.ElementMissing("登录后的门户首页")

    async def _walk_to_menu(self) -> bool:
        page = self._page
        assert page is not None
        home = PortalHome(page, self.profile)

        async def origin() -> None:
            if not await home.shows():
                await open_start(page, self.start_url)
            await home.open_origin()

        async def customs() -> None:
            self._app = await OriginApps(page, self.profile).open_customs_certificates(30)
            await NoticeLayer(self._app, self.profile).close_whenever_shown()

        return (
            await self._step("一.3", origin)
            and await self._step("一.4", customs)
            and await self._step("一.5", lambda: AppShell(self._window(), self.profile).wait_ready())
        )

    def _robot(self) -> PortalWorker:
        """The robot's own worker, in the application window the survey reached."""
        if self._worker is None:
            assert self.settings is not None, "Survey needs the run's settings"
            self._worker = PortalWorker(self.context, self.settings, lambda _context: self.solver)
            self._worker.app = self._window()
        return self._worker

    async def _walk_supplement(self) -> None:
        robot = self._robot()
        shell = AppShell(self._window(), self.profile)

        async def open_menu() -> None:
            await robot.open_menu(MENU_SUPPLEMENT)

        async def choose() -> None:
            await robot.search_page(Authority.CUSTOMS)

        async def criteria() -> None:
            search = await robot.search_page(Authority.CUSTOMS)
            listed: list[dict[str, str]] = []
            async for rows in search.pages(Criteria()):  # what `worklist` lists, the run's defaults
                listed = rows
                break
            if not listed:
                raise _Empty(f"（列表无数据，未能按{self.profile.word(CERT_NO)}查询）")
            cells = next((r for r in listed if r.get(STATUS) == NOT_SUPPLEMENTED), listed[0])
            self._task = Task(0, Authority.CUSTOMS, cells.get(CERT_NO, ""), True, ())
            self._found = await robot.find_certificate(self._task)  # the run's search for one row
            if self._found is None:
                raise CorobotError(f"按{self.profile.word(CERT_NO)} {self._task.cert_no} 查询未找到列表中的证书")

        async def dialog() -> None:
            if self._task is None or self._found is None:
                raise _Empty(f"（列表无数据，未能试【{self.profile.word('补录')}】）")
            await robot.prepare(self._found, self._task)  # filled as a dry run fills it
            await robot.cancel()  # never 【提交】

        for step, work in (("一.6", open_menu), ("一.7", choose), ("一.8", criteria), ("一.9", dialog)):
            if not await self._step(step, work, near=shell.front):
                index = [s for s, _ in self.guide_one].index(step)
                self._skip(*self.guide_one[index + 1 :], because=step)
                return

    def _repeat_shared(self) -> None:
        """二.1–5 are the same steps as 一.1–5: their results are repeated, not walked twice."""
        by_step = {r.step: r for r in self.results}
        for (step, words), (one, _) in zip(self.guide_two[:5], self.guide_one[:5], strict=True):
            first = by_step.get(one)
            if first is not None:
                self.results.append(StepResult(step, words, first.state, list(first.seen), f"（同 {one}）"))

    async def _walk_records(self) -> None:
        robot = self._robot()
        shell = AppShell(self._window(), self.profile)
        listed: list[dict[str, str]] = []

        async def open_menu() -> None:
            await robot.open_menu(MENU_RECORDS)
            await robot.all_supplements(date.today() - timedelta(days=RECEIPTS_SINCE_DAYS))  # run's receipts
            if self._task is not None:
                await robot.find_supplements(self._task)  # as reconcile looks one certificate up
            records = await robot.records_page()
            async for rows in records.pages(RecordFilter()):
                listed.extend(rows)
                break

        async def details() -> None:
            if not listed:
                raise _Empty(f"（列表无数据，未能试【{self.profile.word('详情')}】）")
            records = await robot.records_page()
            await robot.read_details(records, listed[0])

        if await self._step("二.6", open_menu, near=lambda: self._window()):
            await self._step("二.7", details, near=shell.front)
        else:
            self._skip(self.guide_two[6], because="二.6")


class _Empty(Exception):
    """The list shows its no-data text: the page was found, the row action cannot be tried."""
