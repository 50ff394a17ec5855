"""Flow: `corobot doctor`, a site survey. Walks the guide's steps 一.1–9 (报关单号补录) and 二.1–7
(补录信息查询) read-only — it opens a 补录 dialog and cancels it, it never submits — and tells for each
step whether the guide's words were found, and what was seen instead.

The survey uses the same page objects and widget helpers as the robot, so a step found here is a
step the robot will find. The bundle (screenshots, HTML of failing steps) is written by the caller
through `Snap`; this flow knows nothing of files.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from playwright.async_api import BrowserContext, FrameLocator, Locator, Page
from playwright.async_api import Error as PlaywrightError

from flows import widgets
from flows.login import log_in, open_start, reach_login
from flows.pages.app_shell import MENU_GROUP, AppShell
from flows.pages.login_page import LoginPage
from flows.pages.notice import NoticeLayer
from flows.pages.portal_home import CUSTOMS_CERTIFICATES, ORIGIN, STANDARD_APPS, PortalHome
from flows.pages.records_page import DETAIL_TITLE
from flows.pages.records_page import HEADERS as RECORD_HEADERS
from flows.pages.search_page import HEADERS as SEARCH_HEADERS
from flows.pages.search_page import date_range
from flows.pages.supplement_dialog import NUMBERS_PLACEHOLDER
from flows.pages.supplement_dialog import TITLE as DIALOG_TITLE
from flows.profile import PortalProfile
from robot.core.captcha import CaptchaSolver
from robot.core.errors import CorobotError
from robot.core.model import Authority
from robot.core.secrets import Secret

FOUND, MISSING, NOT_CHECKED = "找到", "未找到", "未检查"
MENU_SUPPLEMENT, MENU_RECORDS = "报关单号补录", "补录信息查询"


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

    def line(self) -> str:
        text = f"[{self.step}] {self.state:<3} {self.words}"
        if self.note:
            text += f"  {self.note}"
        if self.seen:
            text += "  看到的是：" + "、".join(self.seen)
        return text


Snap = Callable[[StepResult, Page], Awaitable[None]]
"""Called after each step walked, with the window to photograph (the caller writes the bundle)."""


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
    results: list[StepResult] = field(default_factory=list)
    _page: Page | None = None
    _app: Page | None = None

    async def _step(self, step: str, work: Callable[[], Awaitable[None]],
                    near: Callable[[], Page | FrameLocator | Locator] | None = None) -> bool:
        result = StepResult(step, WORDS[step])
        self.results.append(result)
        try:
            await work()
            result.state = FOUND
        except _Empty as empty:
            result.state, result.note = FOUND, str(empty)
        except (widgets.ElementMissing, PlaywrightError, CorobotError) as error:
            result.state = MISSING
            if not isinstance(error, widgets.ElementMissing):
                result.note = str(error).splitlines()[0][:160]
            else:
                result.note = f"缺少：{error.words}"
            scope = near() if near else self._window()
            result.seen = await widgets.texts_near(scope)
        await self.snap(result, self._window())
        return result.state == FOUND

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
        await NoticeLayer(self._page).close_whenever_shown()
        if not await self._step("一.1", self._open):
            self._skip(*GUIDE_ONE[1:], *GUIDE_TWO, because="一.1")
            return self.results
        if not await self._step("一.2", self._log_in):
            self._skip(*GUIDE_ONE[2:], *GUIDE_TWO, because="一.2")
            return self.results
        shared = await self._walk_to_menu()
        if shared:
            await self._walk_supplement()
        else:
            self._skip(*GUIDE_ONE[len(self.results):], because=self.results[-1].step)
        self._repeat_shared()
        if shared:
            await self._walk_records()
        else:
            self._skip(*GUIDE_TWO[5:], because="一.5")
        return self.results

    async def _open(self) -> None:
        assert self._page is not None
        await open_start(self._page, self.start_url)

    async def _log_in(self) -> None:
        assert self._page is not None
        if await reach_login(self._page, self.profile):
            await log_in(self._page, self.start_url, self.username, self.password, self.solver,
                         self.captcha_attempts, self.profile, self.operator_may_help)
        if await LoginPage(self._page, self.profile).shows():
            raise widgets.ElementMissing("登录后的门户首页")

    async def _walk_to_menu(self) -> bool:
        page = self._page
        assert page is not None
        home = PortalHome(page)

        async def origin() -> None:
            if not await home.shows():
                await open_start(page, self.start_url)
            await home.open_origin()

        async def customs() -> None:
            from flows.pages.portal_home import OriginApps

            self._app = await OriginApps(page).open_customs_certificates(30)
            await NoticeLayer(self._app).close_whenever_shown()

        return (await self._step("一.3", origin)
                and await self._step("一.4", customs)
                and await self._step("一.5", lambda: AppShell(self._window()).wait_ready()))

    async def _walk_supplement(self) -> None:
        shell = AppShell(self._window())

        async def open_menu() -> None:
            await shell.open_page(MENU_SUPPLEMENT)

        async def choose() -> None:
            from flows.pages.supplement_entry import SupplementEntry

            await SupplementEntry(shell.front()).choose(Authority.CUSTOMS)

        async def criteria() -> None:
            frame = shell.front()
            created_from, created_to = date_range(frame, "证明创建日期")
            for words, target in (("证明类型", widgets.field(frame, "证明类型")),
                                  ("出口商代码", widgets.field(frame, "出口商代码")),
                                  ("证明创建日期起", created_from), ("证明创建日期止", created_to),
                                  ("证明号", widgets.field(frame, "证明号")),
                                  ("查询", widgets.clickable(frame, "查询")),
                                  ("查询结果（表头 证明号、补录状态）", widgets.table(frame, *SEARCH_HEADERS))):
                await widgets.need(target, words)
            await widgets.clickable(frame, "查询").click()
            await widgets.settled(frame, self.profile.loading, self.profile.table_load_s * 1000)

        async def dialog() -> None:
            frame = shell.front()
            grid = widgets.table(frame, *SEARCH_HEADERS)
            await _not_empty(grid, self.profile, "【补录】")
            button = widgets.clickable(grid.locator("tbody > tr:has(> td + td)").first, "补录")
            await widgets.need(button, "操作列下的【补录】")
            await button.click()
            box = await widgets.find_layer((frame, self._window()), DIALOG_TITLE, 10_000)
            if box is None:
                raise widgets.ElementMissing(f"{DIALOG_TITLE}（对话框）")
            try:
                content = await widgets.layer_content(box)
                for words, target in (
                        ("证明号", content.get_by_text("证明号").first),
                        ("是否实际出口", content.get_by_text("是否实际出口").first),
                        ("是", content.get_by_text(widgets.exactly("是")).first),
                        ("否", content.get_by_text(widgets.exactly("否")).first),
                        (NUMBERS_PLACEHOLDER, content.get_by_placeholder(NUMBERS_PLACEHOLDER)),
                        ("提交", widgets.layer_button(box, "提交")),
                        ("取消", widgets.layer_button(box, "取消"))):
                    await widgets.need(target, words, 5_000)
            finally:
                cancel = widgets.layer_button(box, "取消")
                if await cancel.count():
                    await cancel.click()  # never 【提交】
                else:
                    await widgets.close_layer(box)

        for step, work in (("一.6", open_menu), ("一.7", choose), ("一.8", criteria), ("一.9", dialog)):
            if not await self._step(step, work, near=shell.front):
                index = [s for s, _ in GUIDE_ONE].index(step)
                self._skip(*GUIDE_ONE[index + 1:], because=step)
                return

    def _repeat_shared(self) -> None:
        """二.1–5 are the same steps as 一.1–5: their results are repeated, not walked twice."""
        by_step = {r.step: r for r in self.results}
        for (step, words), (one, _) in zip(GUIDE_TWO[:5], GUIDE_ONE[:5], strict=True):
            first = by_step.get(one)
            if first is not None:
                self.results.append(StepResult(step, words, first.state, list(first.seen), f"（同 {one}）"))

    async def _walk_records(self) -> None:
        shell = AppShell(self._window())

        async def open_menu() -> None:
            await shell.open_page(MENU_RECORDS)
            frame = shell.front()
            await widgets.need(widgets.clickable(frame, "查询"), f"{MENU_RECORDS} → 查询")
            await widgets.need(widgets.table(frame, *RECORD_HEADERS), "补录信息列表（表头 证明号、补录状态）")

        async def details() -> None:
            frame = shell.front()
            await widgets.settled(frame, self.profile.loading, self.profile.table_load_s * 1000)
            grid = widgets.table(frame, *RECORD_HEADERS)
            await _not_empty(grid, self.profile, "【详情】")
            row = grid.locator("tbody > tr:has(> td + td)").first
            link = widgets.clickable(row, "详情")
            await widgets.need(link, "操作列下的【详情】")
            await link.click()
            box = await widgets.find_layer((frame, self._window()), DETAIL_TITLE, 10_000)
            if box is None:
                raise widgets.ElementMissing(f"{DETAIL_TITLE}（对话框）")
            try:
                content = await widgets.layer_content(box)
                await widgets.need(content.get_by_text(widgets.exactly("补录状态")).first, "补录状态", 5_000)
            finally:
                await widgets.close_layer(box)

        if await self._step("二.6", open_menu, near=lambda: self._window()):
            await self._step("二.7", details, near=shell.front)
        else:
            self._skip(GUIDE_TWO[6], because="二.6")


class _Empty(Exception):
    """The list shows its no-data text: the page was found, the row action cannot be tried."""


async def _not_empty(grid: Locator, profile: PortalProfile, action: str) -> None:
    await widgets.need(grid, "查询结果表")
    if not await grid.locator("tbody > tr:has(> td + td)").count():
        if await grid.get_by_text(widgets.any_of(profile.no_data)).count():
            raise _Empty(f"（列表无数据，未能试{action}）")


GUIDE_ONE: tuple[tuple[str, str], ...] = (
    ("一.1", "门户网站（起始地址）"), ("一.2", "【登录】（用户名、密码、验证码）"),
    ("一.3", f"{STANDARD_APPS} →【{ORIGIN}】"), ("一.4", f"【{CUSTOMS_CERTIFICATES}】"),
    ("一.5", f"左侧菜单【{MENU_GROUP}】"), ("一.6", f"【{MENU_SUPPLEMENT}】"),
    ("一.7", f"【{Authority.CUSTOMS.certificate_label}】→ 补录界面【查询】"),
    ("一.8", "证明类型、出口商代码、证明创建日期、证明号、【查询】、查询结果表（证明号、补录状态）"),
    ("一.9", f"操作列【补录】→ {DIALOG_TITLE}（证明号、是否实际出口 是/否、报关单号、【提交】【取消】）"),
)
GUIDE_TWO: tuple[tuple[str, str], ...] = (
    ("二.1", "门户网站（起始地址）"), ("二.2", "【登录】（用户名、密码、验证码）"),
    ("二.3", f"{STANDARD_APPS} →【{ORIGIN}】"), ("二.4", f"【{CUSTOMS_CERTIFICATES}】"),
    ("二.5", f"左侧菜单【{MENU_GROUP}】"), ("二.6", f"【{MENU_RECORDS}】"),
    ("二.7", f"操作列【详情】→ {DETAIL_TITLE}"),
)
WORDS = dict(GUIDE_ONE + GUIDE_TWO)
