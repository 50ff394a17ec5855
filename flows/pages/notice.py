"""Page object: the 通知公告 layer that may cover any portal page; closed wherever it appears."""

from __future__ import annotations

from playwright.async_api import Locator, Page


class NoticeLayer:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.layer = page.get_by_role("dialog", name="通知公告")

    async def close_whenever_shown(self) -> None:
        """Registers a handler: whenever the notice blocks an action, click 我知道了 first."""

        async def close(layer: Locator) -> None:
            await layer.get_by_role("button", name="我知道了").click()

        await self.page.add_locator_handler(self.layer, close)
