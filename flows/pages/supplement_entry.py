"""Page object: 出口报关单补录 entry (step 7): choose 海关原产地证书 or 贸促会原产地证书."""

from __future__ import annotations

from playwright.async_api import FrameLocator, Locator

from flows import widgets
from flows.profile import PortalProfile, load_profile
from robot.core.model import Authority

QUERY = "查询"


def choice_key(authority: Authority) -> str:
    """The profile word key of step 7's link for `authority`."""
    return f"选择：{authority.certificate_label}"


class SupplementEntry:
    def __init__(self, frame: FrameLocator, profile: PortalProfile | None = None) -> None:
        self.frame = frame
        self.profile = profile or load_profile()

    def choice(self, authority: Authority) -> Locator:
        return widgets.clickable(self.frame, self.profile.word(choice_key(authority)))

    async def choose(self, authority: Authority) -> None:
        """Step 7: 【海关原产地证书】 (or 贸促会…) leads to the search page with its 【查询】."""
        w = self.profile.word
        link = self.choice(authority)
        await widgets.need(link, w(choice_key(authority)), keys=(choice_key(authority),), within=self.frame)
        await link.click()
        await widgets.need(
            widgets.clickable(self.frame, w(QUERY)),
            f"{w(choice_key(authority))} → {w(QUERY)}",
            keys=(QUERY,),
            within=self.frame,
        )
