"""Page object: the 报关单号补录 dialog (steps 9–11): 是否实际出口, 报关单号, 【提交】/【取消】."""

from __future__ import annotations

import re

from playwright.async_api import FrameLocator, Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.pages import xhr
from robot.core.errors import PassingError, PortalBusinessError, PortalSystemError

API = "/api/supplement/submit"


class SupplementDialog:
    def __init__(self, page: Page, frame: FrameLocator) -> None:
        self.page = page
        self.dialog = frame.get_by_role("dialog", name="报关单号补录")
        self.yes = self.dialog.get_by_role("radio", name="是", exact=True)
        self.no = self.dialog.get_by_role("radio", name="否", exact=True)
        self.numbers = self.dialog.get_by_role("textbox", name="报关单号")
        self.submit_button = self.dialog.get_by_role("button", name="提交")
        self.cancel_button = self.dialog.get_by_role("button", name="取消")
        self.alert = self.dialog.get_by_role("alert")

    async def open_from(self, button: Locator, cert_no: str, timeout_ms: float, clicks: int = 3) -> None:
        """Clicks 【补录】 until the dialog shows this certificate (the first click may do nothing)."""
        exact_no = re.compile(rf"(?<![0-9A-Za-z/]){re.escape(cert_no)}(?![0-9A-Za-z/])")  # not a longer 证明号
        showing = self.dialog.filter(has_text=exact_no)
        for _ in range(clicks):
            await button.click()
            try:
                await showing.wait_for(timeout=timeout_ms)
                return
            except PlaywrightTimeout:
                if await showing.is_visible():  # it opened just as the wait ended
                    return
                if await self.dialog.is_visible():
                    raise PortalSystemError(f"补录对话框显示的不是证明号 {cert_no}") from None
        raise PassingError("补录对话框未打开")

    async def fill(self, exported: bool, declarations_text: str) -> None:
        """Step 10: 是 with the numbers, or 否 without."""
        if exported:
            await self.yes.check()  # check(), not click(): it verifies the radio took
            await self.numbers.fill(declarations_text)
        else:
            await self.no.check()

    async def submit(self) -> str:
        """Step 11: 【提交】. Returns the portal's message; raises on rejection or system trouble."""
        answer = await xhr.call(self.page, API, self.submit_button.click)
        if answer.code == xhr.OK:
            await self.dialog.wait_for(state="hidden")
            return answer.message or "提交成功"
        if answer.code in (xhr.INVALID, xhr.NO_DATA):
            raise PortalBusinessError(answer.message or "门户拒绝了补录")
        raise PortalSystemError(f"提交失败：{answer.message}")

    async def cancel(self) -> None:
        if await self.dialog.is_visible():
            await self.cancel_button.click()
            await self.dialog.wait_for(state="hidden")
