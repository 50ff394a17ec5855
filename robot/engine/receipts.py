"""The receipt watch: after the rows, waits (bounded by `receipt_deadline_s`) for each row sent to reach a
final 补录状态 — 海关接收成功 makes it 成功, 海关接收失败 makes it 失败 with the portal's reason; a row
still waiting at the deadline stays 已提交，待回执 (待海关接收) for `corobot reconcile`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import date

from loguru import logger

from robot.core.config import Settings
from robot.core.errors import SessionExpired
from robot.core.model import FINAL_STATUSES, STATUS_PENDING_RECEIPT, STATUS_REJECTED, Result, RowOutcome, Task
from robot.core.portal import PortalClient
from robot.engine.control import RunControl, first_line
from robot.engine.journal import Journal

RECEIPTS = "读取海关回执（补录信息查询）"
"""The step a changed page is named by when it shows while reading receipts."""


@dataclass
class ReceiptWatch:
    settings: Settings
    journal: Journal
    control: RunControl
    outcomes: dict[int, RowOutcome]
    portal_entries: dict[str, dict[str, str]]

    async def wait(self, worker: PortalClient, tasks: list[Task], since: date) -> None:
        """Waits for each row sent (or sent earlier and not final yet) to reach a final 补录状态."""
        pending = {
            t.row: t for t in tasks if self.outcomes[t.row].status and self.outcomes[t.row].status not in FINAL_STATUSES
        }
        deadline = time.monotonic() + self.settings.receipt_deadline_s
        while pending and not self.control.stopping:
            try:
                async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
                    await self._look(worker, pending, since)
            except TimeoutError:
                logger.warning("读取补录状态超过 receipt_deadline_s，其余行的状态留待下次对账")
                break
            except Exception as raw:  # the rows are done: trouble here only leaves statuses pending
                if not await self._mend(worker, raw, deadline):
                    break
            if not pending or time.monotonic() >= deadline:
                break
            await self.control.pause(self.settings.receipt_poll_s)
        for task in pending.values():
            outcome = self.outcomes[task.row]
            outcome.status = STATUS_PENDING_RECEIPT
            if outcome.result == Result.SKIPPED:  # sent before (an earlier run, or found on the portal)
                outcome.result = Result.SUBMITTED
                outcome.message += "；尚未读到海关回执"

    async def _look(self, worker: PortalClient, pending: dict[int, Task], since: date) -> None:
        """One read of 补录信息查询: rows now final leave `pending`."""
        records = await worker.all_supplements(since)
        for row, task in list(pending.items()):
            matching = [r for r in records if r.matches(task)]
            if not matching:
                continue
            latest = max(matching, key=lambda r: r.submitted_at)
            self.portal_entries[task.key] = latest.fields
            if latest.status in FINAL_STATUSES:
                await self._final(worker, task, latest.status)
                del pending[row]

    async def _mend(self, worker: PortalClient, raw: Exception, deadline: float) -> bool:
        """After a failed read: back into the portal. False when watching should end (deadline, page changed)."""
        explained = worker.explain(raw)
        logger.warning("读取补录状态失败：{}", first_line(explained))
        if self.control.page_changed(explained, RECEIPTS) is not None:
            return False
        try:
            async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
                await worker.reset(session_expired=isinstance(explained, SessionExpired))
                await worker.ensure_connected()
        except TimeoutError:
            logger.warning("重新进入门户超过 receipt_deadline_s，其余行的状态留待下次对账")
            return False
        except Exception as again:
            logger.warning("重新进入门户失败：{}", first_line(worker.explain(again)))
        return True

    async def _final(self, worker: PortalClient, task: Task, status: str) -> None:
        outcome = self.outcomes[task.row]
        outcome.status = status
        reason = ""
        if status == STATUS_REJECTED:
            reason = await worker.failure_reason(task)
            outcome.result = Result.FAILED
            outcome.message = f"已提交，但海关接收失败：{reason or '门户未给出原因'}"
            logger.info("第{}行 {} 失败：{}", task.row, task.cert_no, outcome.message)
        elif outcome.result == Result.SUBMITTED:
            outcome.result = Result.SUCCESS
            logger.info("第{}行 {} 成功：{}", task.row, task.cert_no, status)
        self.journal.record_status(task.key, status, reason)
