"""Page object: the 海关原产地证书 application window: left menu, tabs, one iframe per tab (steps 5–6)."""

from __future__ import annotations

from playwright.async_api import FrameLocator, Page


class AppShell:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.menu = page.get_by_role("navigation", name="功能菜单")

    async def open_page(self, group: str, item: str) -> FrameLocator:
        """Clicks 【group】 (expanding it if needed), then 【item】; returns the tab's iframe."""
        await self.menu.wait_for()
        link = self.menu.get_by_role("link", name=item, exact=True)
        if not await link.is_visible():
            await self.menu.get_by_text(group, exact=True).click()
        await link.click()
        frame_element = self.page.locator(f'iframe[title="{item}"]')
        await frame_element.wait_for(state="visible")
        frame = self.page.frame_locator(f'iframe[title="{item}"]')
        await frame.locator("body").wait_for()
        return frame

    async def reload(self) -> None:
        """Back to a fresh application window (all tabs closed)."""
        await self.page.reload()
        await self.menu.wait_for()
