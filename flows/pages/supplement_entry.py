"""Page object: 出口报关单补录 entry (step 7): choose 海关原产地证书 or 贸促会原产地证书."""

from __future__ import annotations

from playwright.async_api import FrameLocator

from robot.core.model import Authority


class SupplementEntry:
    def __init__(self, frame: FrameLocator) -> None:
        self.frame = frame

    async def choose(self, authority: Authority) -> None:
        await self.frame.get_by_role("link", name=authority.certificate_label, exact=True).click()
        await self.frame.get_by_role("heading", name=f"{authority.certificate_label}补录").wait_for()
