"""Page objects: the portal home (中央标准应用 tiles, step 3) and the 原产地 application list (step 4)."""

from __future__ import annotations

from playwright.async_api import Page


class PortalHome:
    PATH = "/portal"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.standard_apps = page.get_by_role("heading", name="中央标准应用")

    async def open(self, base_url: str) -> None:
        await self.page.goto(base_url.rstrip("/") + self.PATH)

    async def open_origin(self) -> OriginApps:
        """Step 3: 中央标准应用 → 【原产地】."""
        await self.standard_apps.wait_for()
        await self.page.get_by_role("link", name="原产地", exact=True).click()
        apps = OriginApps(self.page)
        await apps.heading.wait_for()
        return apps


class OriginApps:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="原产地", exact=True)

    async def open_customs_certificates(self) -> Page:
        """Step 4: 【海关原产地证书】 opens the application in a new window; returns that window."""
        async with self.page.context.expect_page() as new_page:
            await self.page.get_by_role("link", name="海关原产地证书", exact=True).click()
        app = await new_page.value
        await app.wait_for_load_state("domcontentloaded")
        return app
