"""Page object: the CAS login page (guide step 2): 用户名, 密码, 验证码 image and 【登录】."""

from __future__ import annotations

from playwright.async_api import Page

from robot.core.errors import PortalSystemError
from robot.core.secrets import Secret, fill_secret

_LOADED_WIDTH = """img => (img.complete ? Promise.resolve() : new Promise(r => {
    img.addEventListener('load', r, {once: true}); img.addEventListener('error', r, {once: true}); }))
    .then(() => img.naturalWidth)"""


class LoginPage:
    PATH = "/cas/login"
    SECRET_SELECTORS: tuple[str, ...] = ("input[type=password]",)

    def __init__(self, page: Page) -> None:
        self.page = page
        self.username = page.get_by_role("textbox", name="用户名")
        self.password = page.get_by_label("密码")
        self.captcha = page.get_by_role("textbox", name="验证码")
        self.captcha_image = page.get_by_role("img", name="验证码")
        self.submit = page.get_by_role("button", name="登录")
        self.error = page.get_by_role("alert")

    def is_current(self) -> bool:
        return self.PATH in self.page.url

    async def open(self, base_url: str) -> None:
        await self.page.goto(base_url.rstrip("/") + self.PATH)

    async def captcha_png(self, attempts: int = 3) -> bytes:
        """The captcha as the user sees it; a broken image is refreshed by clicking it."""
        await self.captcha_image.wait_for(state="visible")
        for _ in range(attempts):
            width = await self.captcha_image.evaluate(_LOADED_WIDTH)
            if width:
                return await self.captcha_image.screenshot()
            await self.refresh_captcha()
        raise PortalSystemError("验证码图片无法加载")

    async def refresh_captcha(self) -> None:
        async with self.page.expect_response(lambda r: "/cas/captcha" in r.url):
            await self.captcha_image.click()
        await self.captcha_image.evaluate(_LOADED_WIDTH)

    async def submit_form(self, username: str, password: Secret, captcha: str) -> str | None:
        """Fills and submits the form; returns None on success, else the portal's error text."""
        await self.username.fill(username)
        await fill_secret(self.password, password)
        await self.captcha.fill(captcha)
        async with self.page.expect_navigation() as navigation:
            await self.submit.click()
        response = await navigation.value
        if response is not None and response.status >= 500:
            raise PortalSystemError(f"登录时门户系统繁忙（HTTP {response.status}）")
        if not self.is_current():
            return None
        if await self.error.count():
            return (await self.error.first.inner_text()).strip()
        return "登录未成功（门户未给出原因）"

    async def expired_notice(self) -> bool:
        return "expired=1" in self.page.url
