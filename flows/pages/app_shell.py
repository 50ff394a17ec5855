"""Page object: the 海关原产地证书 application window (steps 5–6): the left menu, and the page in
front (each menu page opens in a tab whose content is an iframe; the visible one is in front)."""

from __future__ import annotations

from playwright.async_api import FrameLocator, Locator, Page

from flows import widgets
from flows.profile import PortalProfile, load_profile

MENU_GROUP = "出口报关单补录"


class AppShell:
    def __init__(self, page: Page, profile: PortalProfile | None = None) -> None:
        self.page = page
        self.profile = profile or load_profile()
        self.menu_group = widgets.clickable(page, self.profile.word(MENU_GROUP))

    def front(self) -> FrameLocator:
        """The page in front: the content of the visible tab's iframe."""
        return self.page.locator("iframe").filter(visible=True).first.content_frame

    async def wait_ready(self) -> None:
        """Step 5: the left menu shows 【出口报关单补录】."""
        await widgets.need(
            self.menu_group, f"左侧菜单 {self.profile.word(MENU_GROUP)}", keys=(MENU_GROUP,), within=self.page
        )

    def menu_item(self, item: str) -> Locator:
        return widgets.clickable(self.page, self.profile.word(item))

    async def open_page(self, item: str, shows: Locator | None = None) -> FrameLocator:
        """Steps 5–6: 【出口报关单补录】 (expanding it if needed), then 【item】 (a profile word key);
        returns the page in front once it shows `shows` (a locator built on `front()`)."""
        await self.wait_ready()
        link = self.menu_item(item)
        children = self.menu_group.locator("xpath=following-sibling::*[1]")  # the group's sub-menu
        if not await link.count() and not await children.is_visible():
            await self.menu_group.click()
        await widgets.need(
            link, f"{self.profile.word(MENU_GROUP)} → {self.profile.word(item)}", keys=(item,), within=self.page
        )
        await link.click()
        frame = self.front()
        await frame.locator("body").wait_for()
        if shows is not None:
            await shows.wait_for()
        return frame

    async def reload(self) -> None:
        """Back to a fresh application window (all tabs closed)."""
        await self.page.reload()
        await self.wait_ready()
