"""Page object: the 报关单号补录 dialog (steps 9–11), found by its title: 是否实际出口 是/否, the 报关单号
field by the guide's placeholder, 【提交】/【取消】; the outcome of 【提交】 is read from the screen."""

from __future__ import annotations

import asyncio
import contextlib
import re
import weakref
from typing import ClassVar

from loguru import logger
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Locator, Page, Request, expect

from flows import widgets
from flows.pages.login_page import LoginPage
from flows.profile import PortalProfile
from robot.core.errors import PassingError, PortalBusinessError, PortalSystemError, SessionExpired

TITLE = "报关单号补录"
TITLE_KEY = "对话框：报关单号补录"
NUMBERS_PLACEHOLDER = "请输入报关单号"
NUMBERS_LABEL = "报关单号"
QUIETLY_CLOSED = ""
"""What `submit` returns when the dialog closed and no message followed (some portals say nothing: the
row's 补录状态 changes): the caller reads the row's status back."""
_QUIET_S = 1.5
"""After the dialog closed without a message: how long a message may still take to appear."""
_GLANCE_MS = 400
"""How long reading what the dialog shows may take once something changed: a live document answers at
once; one that is going away (the dialog closing after 【提交】) must not hold the outcome up."""


class DialogDidNotOpen(widgets.ElementMissing, PassingError):
    """【补录】 was clicked but its dialog did not open: a passing error, retried where it happened."""


class SupplementDialog:
    def __init__(self, page: Page, frame: FrameLocator, profile: PortalProfile, at: int | None = None) -> None:
        self.page = page
        self.frame = frame
        self.profile = profile
        self.at = at
        """Where the dialog opens: 0 in the search page's frame, 1 in the window (the script that opens it
        decides; the same on every row), None = not known yet (looked for in both)."""
        self.box: Locator | None = None
        self.content: Locator | FrameLocator | None = None

    async def open_from(
        self, button: Locator, cert_no: str, timeout_ms: float, load_timeout_ms: float | None = None, clicks: int = 3
    ) -> None:
        """Clicks 【补录】 until the dialog shows (the first click may do nothing: `timeout_ms` per click),
        then waits up to `load_timeout_ms` (a page load: on a busy machine the dialog's own page takes its
        time) for it to show this certificate. A dialog that does not is closed before the error, so that
        trying again starts from the search page: the portal's busy or session-expired words in it are
        those errors; else a system error saying what it showed (nothing, or something else)."""
        exact_no = re.compile(rf"(?<![0-9A-Za-z/]){re.escape(cert_no)}(?![0-9A-Za-z/])")  # not a longer 证明号
        w = self.profile.word
        for _ in range(clicks):
            await widgets.press(button, f"{cert_no} 行操作列下的 {w('补录')}", keys=("补录",), within=self.frame)
            found = await widgets.find_layer_at(self._scopes(), w(TITLE_KEY), timeout_ms)
            if found is None:
                continue
            self.box, where = found
            self.at = where if self.at is None else self.at
            self.content = await widgets.layer_content(self.box)
            try:
                await widgets.reach(self.content.get_by_text(exact_no).first, load_timeout_ms or timeout_ms)
            except PlaywrightError:
                await self._give_up(cert_no, timeout_ms)
            return
        raise DialogDidNotOpen(f"{w(TITLE_KEY)}（对话框）", keys=(TITLE_KEY,))

    async def _give_up(self, cert_no: str, close_ms: float) -> None:
        """The dialog came up but did not show `cert_no` in time: closed, then the error its text tells."""
        assert self.content is not None
        root = self.content.locator("body").first if isinstance(self.content, FrameLocator) else self.content
        try:
            text = (await root.inner_text(timeout=_GLANCE_MS)).strip()
        except PlaywrightError:
            text = ""
        with contextlib.suppress(PlaywrightError):
            await self.close_if_open(close_ms)
        said = text.splitlines()[0][:60] if text else ""
        if text and widgets.any_of(self.profile.expired).search(text):
            raise SessionExpired(f"门户会话已过期（补录对话框显示：{said}）")
        if text and widgets.any_of(self.profile.busy).search(text):
            raise PassingError(f"门户系统繁忙（补录对话框显示：{said}）")
        if not text:
            raise PortalSystemError(f"补录对话框的页面未加载完成（证明号 {cert_no}）")
        raise PortalSystemError(f"补录对话框未显示证明号 {cert_no}（显示的是：{said}）")

    def _scopes(self) -> tuple[Page | FrameLocator, ...]:
        both: tuple[Page | FrameLocator, ...] = (self.frame, self.page)
        return both if self.at is None else (both[self.at],)

    def _numbers(self) -> Locator:
        assert self.content is not None
        w = self.profile.word
        return (
            self.content.get_by_placeholder(w(NUMBERS_PLACEHOLDER))
            .or_(widgets.field(self.content, w(NUMBERS_LABEL)))
            .first
        )

    async def fill(self, exported: bool, declarations_text: str) -> None:
        """Step 10: 是 with the numbers, or 否 without."""
        assert self.content is not None
        w = self.profile.word
        choice = "是" if exported else "否"
        await widgets.choose_radio(self.content, w(choice), f"{w('是否实际出口')} {w(choice)}", keys=(choice,))
        if exported:
            numbers = self._numbers()
            await widgets.press(numbers, w(NUMBERS_PLACEHOLDER), keys=(NUMBERS_PLACEHOLDER,), fill=declarations_text)

    async def submit(self) -> str:
        """Step 11: 【提交】. Returns the portal's message; raises on refusal or trouble.

        The outcome is read from the screen: a success message, the dialog closing, a busy or
        session-expired message (system errors), or any other message while the dialog stays open
        once the save is answered (the portal refuses the entry: a business error). What shows while
        a request sent since 【提交】 is still in flight (a progress text such as 正在提交…) decides
        nothing and does not count later either. Without a clear outcome in time the caller must
        read 补录信息查询 back before sending again (a system error says so).
        """
        box, content = self.box, self.content
        if box is None or content is None:
            raise PortalSystemError("补录对话框未准备好")
        scopes: list[Page | FrameLocator | Locator] = [self.page, self.frame]
        for scope in scopes:
            await widgets.mark_seen(scope)  # a message of the previous row may still be fading
        if isinstance(content, FrameLocator):
            scopes.append(content)  # the dialog's own document: new with the dialog, nothing in it seen yet
        body = content.locator("body") if isinstance(content, FrameLocator) else content
        before = await body.inner_text()
        said = widgets.any_of((*self.profile.success, *self.profile.busy, *self.profile.expired))
        known = [widgets.fresh(s.get_by_text(said).filter(visible=True)).first for s in scopes]
        shown = [k.or_(m).first for k, m in zip(known, map(widgets.messages, scopes), strict=True)]
        button = widgets.layer_button(box, self.profile.word("提交"))
        save = _Requests.of(self.page)
        save.start()
        try:
            await widgets.press(button, self.profile.word("提交"), keys=("提交",))
            return await self._outcome(box, body, before, scopes, known, shown, save)
        finally:
            save.stop()

    async def _outcome(  # noqa: C901
        self,
        box: Locator,
        body: Locator,
        before: str,
        scopes: list[Page | FrameLocator | Locator],
        known: list[Locator],
        shown: list[Locator],
        save: _Requests,
    ) -> str:
        """Reads what follows 【提交】 (see `submit`). `shown[i]`: a known text or a new message in `scopes[i]`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.profile.submit_outcome_s
        closed = False
        progress: set[str] = set()
        """Texts shown while the save was in flight: progress, never the portal's answer."""
        while (left := deadline - loop.time()) > 0:
            # a known text always decides; while the dialog is open, so does any message, its closing or a
            # change in it (the answer of the save alone only says that what shows next is the answer)
            waits = [widgets.reach(w, left * 1000) for w in (known if closed else shown)]
            if not closed:
                waits += [
                    widgets.reach(box, left * 1000, "hidden"),
                    widgets.until(
                        lambda ms, seen=before: expect(body).not_to_have_text(seen, timeout=ms, use_inner_text=True),
                        left * 1000,
                    ),
                ]
                if save.in_flight:
                    waits.append(save.answered.wait())
            which = await widgets.first_of(waits, left)
            if which is None:
                break
            if not closed and which == len(scopes) + 2:
                continue  # the save was answered: what the page shows next is its answer
            if not closed and which == len(scopes):  # closed: only a known text can still tell, briefly
                closed, deadline = True, min(deadline, loop.time() + _QUIET_S)
                continue
            if which < len(scopes):  # a known text decides alone: no need to read anything else
                with contextlib.suppress(PlaywrightError):
                    first = (known if closed else shown)[which]
                    outcome = self._judge([(await first.inner_text(timeout=_GLANCE_MS)).strip()], False)
                    if outcome is not None:
                        await widgets.dismiss_alerts(scopes[which : which + 1])
                        return outcome
            texts = [(await k.inner_text()).strip() for k in known if await k.count()]
            if not closed:
                closed = not await box.is_visible()
                texts += [t for s in scopes for t in await widgets.visible_texts(s)]
            if not closed:
                try:  # the dialog may be closing right now: its document then goes away
                    now = await body.inner_text(timeout=_GLANCE_MS)
                except PlaywrightError:
                    closed = not await box.is_visible()
                    now = before
                texts += _new_lines(before, now)
                before = now
            texts = [t for t in texts if t not in progress]
            answered = closed or not save.in_flight
            if not answered:  # shown while the save is in flight: progress, unless it says the outcome
                progress.update(texts)
                for scope in scopes:
                    await widgets.mark_seen(scope)
            try:
                outcome = self._judge(texts, refusal=answered and not closed)
            except PortalBusinessError:
                await widgets.dismiss_alerts(scopes)
                raise
            if outcome is not None:
                await widgets.dismiss_alerts(scopes)
                return outcome
            if closed:  # closed without a message so far: one may still follow, briefly
                deadline = min(deadline, loop.time() + _QUIET_S)
        if closed and not await LoginPage(self.page, self.profile).shows():
            logger.debug("the 补录 dialog closed without a message")
            return QUIETLY_CLOSED
        if await LoginPage(self.page, self.profile).shows():
            raise SessionExpired("门户会话已过期（提交后显示登录页），需重新登录")
        raise PortalSystemError(
            "提交后门户未给出明确结果" + ("（对话框已关闭）" if closed else "") + "：先查询补录信息再决定是否重新提交"
        )

    def _judge(self, texts: list[str], refusal: bool) -> str | None:
        """The outcome `texts` say: a success text, or a system error; with `refusal` (the dialog is still
        open and the save answered) any other text is the portal refusing the entry."""
        for text in texts:
            if widgets.any_of(self.profile.success).search(text):
                return text
        for text in texts:
            if widgets.any_of(self.profile.expired).search(text):
                raise SessionExpired(f"门户会话已过期：{text}")
            if widgets.any_of(self.profile.busy).search(text):
                raise PassingError(f"提交失败：{text}")
        if texts and refusal:
            logger.info("portal refused the entry: {}", texts[0])
            raise PortalBusinessError(texts[0])
        return None

    async def close_if_open(self, wait_ms: float = _GLANCE_MS) -> None:
        """A 补录 dialog still open (left by a 【提交】 that failed in passing, e.g. 5xx) is closed with
        【取消】, so that it does not cover 【查询】 (waiting `wait_ms` for it to go)."""
        for scope in self._scopes():
            box = widgets.layer(scope, self.profile.word(TITLE_KEY))
            if await box.count():
                try:
                    await widgets.close_layer(box, wait_ms)
                except PlaywrightError:
                    if await box.count():  # still there: the dialog is stuck, not just closing by itself
                        raise

    async def cancel(self) -> None:
        """【取消】: closes the dialog without sending."""
        if self.box is not None and await self.box.is_visible():
            button = widgets.layer_button(self.box, self.profile.word("取消"))
            await widgets.need(button, self.profile.word("取消"), keys=("取消",))
            await button.click()
            await self.box.wait_for(state="hidden")


class _Requests:
    """The requests a page (and its iframes) sends between `start` and `stop`: whether one is still in
    flight, and an event set when none is (the save answered). One per page (`of`), listening for the
    page's life: listeners added and removed around every 【提交】 cost the browser two round trips each."""

    _of: ClassVar[weakref.WeakKeyDictionary[Page, _Requests]] = weakref.WeakKeyDictionary()

    def __init__(self, page: Page) -> None:
        self._open: set[Request] = set()
        self._counting = False
        self.answered = asyncio.Event()
        self.answered.set()
        page.on("request", self._sent)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    @classmethod
    def of(cls, page: Page) -> _Requests:
        if page not in cls._of:
            cls._of[page] = cls(page)
        return cls._of[page]

    @property
    def in_flight(self) -> bool:
        return bool(self._open)

    def start(self) -> None:
        """Counts the requests sent from now on (none is in flight yet)."""
        self._open.clear()
        self.answered.set()
        self._counting = True

    def stop(self) -> None:
        self._counting = False
        self._open.clear()
        self.answered.set()

    def _sent(self, request: Request) -> None:
        if self._counting:
            self._open.add(request)
            self.answered.clear()

    def _ended(self, request: Request) -> None:
        if request in self._open:
            self._open.discard(request)
            if not self._open:
                self.answered.set()


def _new_lines(before: str, after: str) -> list[str]:
    """Lines that appeared in the dialog since `before` (e.g. a message under the form)."""
    old = {line.strip() for line in before.splitlines()}
    return [line.strip() for line in after.splitlines() if line.strip() and line.strip() not in old]
