"""Page object: the read-only date inputs and their picker (选择日期 with 年, 月 and day buttons)."""

from __future__ import annotations

from datetime import date

from playwright.async_api import FrameLocator, Locator


class DatePicker:
    def __init__(self, frame: FrameLocator) -> None:
        self.frame = frame
        self.dialog = frame.get_by_role("dialog", name="选择日期")

    async def set(self, field: Locator, day: date | None) -> None:
        """Picks `day`, or empties the field when `day` is None."""
        if day is None:
            await self.clear(field)
        else:
            await self.pick(field, day)

    async def pick(self, field: Locator, day: date) -> None:
        """Opens the picker from `field` and clicks year, month and day like a person."""
        await field.click()
        await self.dialog.wait_for()
        await self.dialog.get_by_role("combobox", name="年").select_option(str(day.year))
        await self.dialog.get_by_role("combobox", name="月").select_option(str(day.month))
        await self.dialog.get_by_role("button", name=str(day.day), exact=True).click()
        await self.dialog.wait_for(state="hidden")

    async def clear(self, field: Locator) -> None:
        if not await field.input_value():
            return
        await field.click()
        await self.dialog.wait_for()
        await self.dialog.get_by_role("button", name="清空").click()
        await self.dialog.wait_for(state="hidden")
