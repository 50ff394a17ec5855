"""Page objects: the portal home (中央标准应用, step 3) and the 原产地 application list (step 4)."""

from __future__ import annotations

import asyncio

from playwright.async_api import Page

from flows import widgets
from flows.profile import PortalProfile, load_profile

STANDARD_APPS = "中央标准应用"
ORIGIN = "原产地"
CUSTOMS_CERTIFICATES = "海关原产地证书"


class PortalHome:
    def __init__(self, page: Page, profile: PortalProfile | None = None) -> None:
        self.page = page
        self.profile = profile or load_profile()
        self.origin = widgets.clickable(page, self.profile.word(ORIGIN))

    async def shows(self) -> bool:
        return await widgets.shown(self.page, self.profile.word(STANDARD_APPS)).count() > 0

    async def open_origin(self) -> OriginApps:
        """Step 3: 中央标准应用 → 【原产地】."""
        w = self.profile.word
        await widgets.need(
            widgets.shown(self.page, w(STANDARD_APPS)), w(STANDARD_APPS), keys=(STANDARD_APPS,), within=self.page
        )
        await widgets.need(self.origin, f"{w(STANDARD_APPS)} → {w(ORIGIN)}", keys=(ORIGIN,), within=self.page)
        await self.origin.click()
        return OriginApps(self.page, self.profile)


class OriginApps:
    def __init__(self, page: Page, profile: PortalProfile | None = None) -> None:
        self.page = page
        self.profile = profile or load_profile()
        self.customs_certificates = widgets.clickable(page, self.profile.word(CUSTOMS_CERTIFICATES))

    async def open_customs_certificates(self, timeout_s: float) -> Page:
        """Step 4: 【海关原产地证书】; the application opens in a new window (or in this one)."""
        words = self.profile.word(CUSTOMS_CERTIFICATES)
        await widgets.need(self.customs_certificates, words, keys=(CUSTOMS_CERTIFICATES,), within=self.page)
        new_window = asyncio.ensure_future(self.page.context.wait_for_event("page"))
        moved = asyncio.ensure_future(
            self.page.wait_for_event("framenavigated", predicate=lambda frame: frame == self.page.main_frame)
        )
        await self.customs_certificates.click()
        which = await widgets.first_of([new_window, moved], timeout_s)
        if which == 0:
            app: Page = new_window.result()
            await app.wait_for_load_state("domcontentloaded")
            return app
        await self.page.wait_for_load_state("domcontentloaded")
        return self.page
