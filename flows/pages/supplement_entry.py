"""Page object: 出口报关单补录 entry (step 7): choose 海关原产地证书 or 贸促会原产地证书."""

from __future__ import annotations

from playwright.async_api import FrameLocator, Locator

from flows import widgets
from robot.core.model import Authority

QUERY = "查询"


class SupplementEntry:
    def __init__(self, frame: FrameLocator) -> None:
        self.frame = frame

    def choice(self, authority: Authority) -> Locator:
        return widgets.clickable(self.frame, authority.certificate_label)

    async def choose(self, authority: Authority) -> None:
        """Step 7: 【海关原产地证书】 (or 贸促会…) leads to the search page with its 【查询】."""
        link = self.choice(authority)
        await widgets.need(link, authority.certificate_label)
        await link.click()
        await widgets.need(widgets.clickable(self.frame, QUERY), f"{authority.certificate_label} → {QUERY}")
