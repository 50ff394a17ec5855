"""Page object: the login page (guide step 2), recognised by what it shows — a password field and
验证码: 用户名, 密码 and 验证码 found by their placeholders or labels, the captcha image beside its
field, and the 【登录】 button (spaces inside tolerated)."""

from __future__ import annotations

import asyncio

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from flows import widgets
from flows.profile import PortalProfile
from robot.core.errors import PortalSystemError
from robot.core.secrets import Secret, fill_secret

_LOADED_WIDTH = """img => (img.complete ? Promise.resolve() : new Promise(r => {
    img.addEventListener('load', r, {once: true}); img.addEventListener('error', r, {once: true}); }))
    .then(() => img.naturalWidth)"""

SHOWS_LOGIN = """(word) => {
  const seen = el => !!el && !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  if (![...document.querySelectorAll('input[type=password]')].some(seen)) return false;
  const placeholders = [...document.querySelectorAll('input')].map(i => i.placeholder || '').join(' ');
  return (document.body.innerText + placeholders).replace(/\\s/g, '').includes(word.replace(/\\s/g, ''));
}"""
"""A login page is what shows a password field and the word 验证码 (the profile's `[words]` entry, as text
or as a placeholder): evaluated with that word as its argument (`captcha_word`)."""


def captcha_word(profile: PortalProfile) -> str:
    """The word that tells a login page (SHOWS_LOGIN's argument): 验证码 unless the profile says."""
    return profile.word("验证码")


LOGIN_FAILED = ("用户名或密码错误", "密码错误", "用户名不存在", "用户不存在", "账号已锁定", "账号被锁定")


def _by_word(page: Page, word: str) -> Locator:
    return page.get_by_placeholder(word).or_(widgets.field(page, word)).filter(visible=True).first


class LoginPage:
    SECRET_SELECTORS: tuple[str, ...] = ("input[type=password]",)

    def __init__(self, page: Page, profile: PortalProfile) -> None:
        self.page = page
        self.profile = profile
        w = profile.word
        self.username = _by_word(page, w("用户名"))
        self.password = page.locator("input[type=password]").filter(visible=True).first
        self.captcha = _by_word(page, w("验证码"))
        self.captcha_image = self.captcha.locator("xpath=following::img[1]")
        self.submit = widgets.clickable(page, w("登录"))

    async def shows(self) -> bool:
        """Whether the window shows a login form now."""
        try:
            return bool(await self.page.evaluate(SHOWS_LOGIN, captcha_word(self.profile)))
        except PlaywrightError:  # between two documents
            return False

    async def captcha_png(self, attempts: int = 3) -> bytes:
        """The captcha as the user sees it; a broken image is refreshed by clicking it."""
        await widgets.need(self.captcha_image, f"{self.profile.word('验证码')}图片", keys=("验证码",))
        for _ in range(attempts):
            width = await self.captcha_image.evaluate(_LOADED_WIDTH)
            if width:
                return await self.captcha_image.screenshot()
            await self.refresh_captcha()
        raise PortalSystemError("验证码图片无法加载")

    async def refresh_captcha(self) -> None:
        """Clicks the image (as the page says: 看不清？点击刷新) and waits for the new one to load."""
        await self.captcha_image.evaluate(
            """img => { window.__corobotNextCaptcha = new Promise(r => {
                 img.addEventListener('load', r, {once: true});
                 img.addEventListener('error', r, {once: true}); }); }"""
        )
        await self.captcha_image.click()
        await self.page.wait_for_function("() => window.__corobotNextCaptcha.then(() => true)")

    async def submit_form(self, username: str, password: Secret, captcha: str) -> str | None:
        """Fills and submits the form; returns None on success, else the portal's words why not."""
        await widgets.need(self.username, self.profile.word("用户名"), keys=("用户名",))
        await self.username.fill(username)
        await fill_secret(self.password, password)
        await self.captcha.fill(captcha)
        known = (*self.profile.wrong_captcha, *LOGIN_FAILED)
        said = self.page.get_by_text(widgets.any_of(known)).filter(visible=True).first
        moved = asyncio.ensure_future(
            self.page.wait_for_event("framenavigated", predicate=lambda frame: frame == self.page.main_frame)
        )
        stale = await said.count() > 0  # the previous attempt's message, still on screen

        async def fresh_message() -> None:
            if stale:
                await said.wait_for(state="hidden")
            await said.wait_for()

        shown = asyncio.ensure_future(fresh_message())
        await widgets.need(self.submit, self.profile.word("登录"), keys=("登录",))
        await self.submit.click()
        if await widgets.first_of([moved, shown], self.profile.table_load_s) is None:
            raise PortalSystemError("点击【登录】后门户没有反应")
        await self.page.wait_for_load_state("domcontentloaded")
        if not await self.shows():
            return None
        if await said.count():
            return (await said.inner_text()).strip()
        texts = await widgets.visible_texts(self.page)
        return texts[0] if texts else "登录未成功（门户未给出原因）"
