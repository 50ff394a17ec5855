"""Page object: the 通知公告 layer that may cover any portal page; closed wherever it appears."""

from __future__ import annotations

from playwright.async_api import Locator, Page

from flows import widgets
from flows.profile import PortalProfile, load_profile

TITLE = "通知公告"
TITLE_KEY = "对话框：通知公告"


class NoticeLayer:
    def __init__(self, page: Page, profile: PortalProfile | None = None) -> None:
        self.page = page
        self.layer = widgets.layer(page, (profile or load_profile()).word(TITLE_KEY))

    async def close_whenever_shown(self) -> None:
        """Registers a handler: whenever the notice blocks an action, close it (我知道了, or ×) first."""

        async def close(layer: Locator) -> None:
            await widgets.close_layer(layer)

        await self.page.add_locator_handler(self.layer, close)
