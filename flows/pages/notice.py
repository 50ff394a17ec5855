"""Page object: the 通知公告 layer that may cover any portal page; closed wherever it appears."""

from __future__ import annotations

from playwright.async_api import Locator, Page

from flows import widgets
from flows.profile import PortalProfile, load_profile

TITLE = "通知公告"
TITLE_KEY = "对话框：通知公告"


_CLOSING = "data-corobot-closing"
_MOST = 5
"""At most this many notices are closed one after the other."""
OWN_DIALOGS = ("对话框：报关单号补录", "对话框：补录详情")
"""The robot's own dialogs (profile word keys): never taken for a notice."""


class NoticeLayer:
    """通知公告, and any other notice a portal shows over its pages after login (温馨提示, 系统公告, …):
    a titled page layer in the window that is not one of the robot's own dialogs."""

    def __init__(self, page: Page, profile: PortalProfile | None = None) -> None:
        self.page = page
        profile = profile or load_profile()
        own = [profile.word(k) for k in OWN_DIALOGS]
        self.all = widgets.layer(page, profile.word(TITLE_KEY), every=True).or_(
            widgets.page_layers(page, exclude=own, every=True)
        )
        self.layer = self.all.first

    async def close_whenever_shown(self) -> None:
        """Registers a handler: whenever the notice blocks an action, close it (我知道了, or ×) first."""

        async def close(layer: Locator) -> None:
            for _ in range(_MOST):  # notices may lie one over the other: the top one (the last) first
                if not await self.all.count():
                    return
                await self.all.last.evaluate(f"n => n.setAttribute('{_CLOSING}', '')")
                await widgets.close_layer(self.page.locator(f"[{_CLOSING}]").first)

        await self.page.add_locator_handler(self.layer, close)
