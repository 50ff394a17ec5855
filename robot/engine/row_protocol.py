"""The row protocol, exactly once: journal → read the portal back → intent → 【提交】 → outcome.

One attempt of one row on one connected worker. A row the journal knows as submitted is never sent
again; a row whose intent is journaled (a 【提交】 may have reached the portal) is looked up in
补录信息查询 first; a certificate already supplemented with the same numbers is 跳过. The intent is
journaled right before 【提交】, whose spacing across workers is `min_submit_interval_s`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from robot.core.config import Settings
from robot.core.errors import PortalBusinessError
from robot.core.model import STATUS_ACCEPTED, STATUS_DECLARED, STATUS_REJECTED, Result, RowOutcome, Task
from robot.core.portal import Found, PortalClient, SupplementRecord
from robot.engine.control import RunControl
from robot.engine.journal import Journal

NOT_FOUND = "在审核通过的证书中未找到该证明号（请核对证明号、签证机构及筛选条件）"
FINDING = "查询证书（报关单号补录）"
READING_BACK = "读取补录信息查询"
FILLING = "打开并填写补录对话框"
SENDING = "【提交】"
"""The protocol's steps as a person names them (a changed page says which one)."""


def outcome(
    task: Task,
    result: Result,
    message: str,
    status: str = "",
    evidence: list[Path] | None = None,
    retry_later: bool = False,
) -> RowOutcome:
    return RowOutcome(task.row, result, message, status, datetime.now(), evidence or [], retry_later)


@dataclass
class RowProtocol:
    settings: Settings
    journal: Journal
    run_id: int
    control: RunControl
    dry_run: bool = False
    portal_entries: dict[str, dict[str, str]] = field(default_factory=dict)
    """This run's certificates as 补录信息查询 shows them (for the report's sheet 补录信息)."""
    doing: dict[int, str] = field(default_factory=dict)
    """What each row in flight is doing (row → step), to name a changed page."""
    _last_submit: float = 0.0
    _submit_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def journaled(self, task: Task) -> RowOutcome | None:
        """The outcome of a row an earlier run submitted (never sent again), else None."""
        entry = self.journal.get(task.key)
        if entry is None or entry.state != "submitted":
            return None
        note = f"已补录：第{entry.run_id}次运行已提交，未重复提交"
        if entry.status == STATUS_REJECTED:  # done once already, but the customs refused it
            reason = entry.message or "门户未给出原因"
            return outcome(task, Result.FAILED, f"{note}；海关接收失败：{reason}", entry.status)
        return outcome(task, Result.SKIPPED, note, entry.status)

    async def attempt(self, worker: PortalClient, task: Task, listed: Found | None = None) -> RowOutcome:
        """One attempt: raises PortalBusinessError (the row fails) or a system error (tried again).
        `listed`: the certificate as the list's result page shows it (no search of its own)."""
        entry = self.journal.get(task.key)
        if entry is not None and entry.state == "intent":
            # A submit may have been sent before a crash or an error: the portal decides.
            self.doing[task.row] = READING_BACK
            match = await self.portal_match(worker, task, include_rejected=True)
            if match is not None:
                return await self._sent_before(worker, task, match)
        self.doing[task.row] = FINDING
        found = listed if listed is not None else await worker.find_certificate(task)
        if found is None:
            raise PortalBusinessError(NOT_FOUND)
        if found.already_supplemented:
            self.doing[task.row] = READING_BACK
            match = await self.portal_match(worker, task, include_rejected=False)
            if match is not None:
                if not self.dry_run:
                    self.journal.record_submitted(self.run_id, task, match.status)
                note = f"已补录：门户已有相同报关单号的补录（{match.submitted_at}），未重复提交"
                return outcome(task, Result.SKIPPED, note, match.status)
        self.doing[task.row] = FILLING
        await worker.prepare(found, task)  # open and fill the dialog outside the lock: workers overlap
        if self.dry_run:
            await worker.cancel()
            return outcome(task, Result.SKIPPED, "试运行：已填写但未提交")
        await self._submit_slot()
        if self.control.stopping:  # stopped while waiting for the slot: nothing new is sent after a stop
            await worker.cancel()
            note = f"运行中止（{self.control.reason or '已停止'}），未提交，再次运行将继续"
            return outcome(task, Result.UNPROCESSED, note)
        self.journal.record_intent(self.run_id, task)
        self.doing[task.row] = SENDING
        message = await worker.send()
        self.journal.record_submitted(self.run_id, task, STATUS_DECLARED)
        return outcome(task, Result.SUBMITTED, message, STATUS_DECLARED)

    async def _sent_before(self, worker: PortalClient, task: Task, match: SupplementRecord) -> RowOutcome:
        """The portal has the supplement an earlier attempt sent: recorded, never sent again."""
        self.journal.record_submitted(self.run_id, task, match.status)
        note = "上次已提交（门户已有此补录记录），未重复提交"
        if match.status == STATUS_REJECTED:
            reason = await worker.failure_reason(task)
            self.journal.record_status(task.key, match.status, reason)
            return outcome(task, Result.FAILED, f"{note}；海关接收失败：{reason or '门户未给出原因'}", match.status)
        result = Result.SUCCESS if match.status == STATUS_ACCEPTED else Result.SUBMITTED
        return outcome(task, result, note, match.status)

    async def portal_match(self, worker: PortalClient, task: Task, include_rejected: bool) -> SupplementRecord | None:
        records = [r for r in await worker.find_supplements(task) if r.matches(task)]
        if not include_rejected:
            records = [r for r in records if r.status != STATUS_REJECTED]
        if not records:
            return None
        latest = max(records, key=lambda r: r.submitted_at)
        self.portal_entries[task.key] = latest.fields
        return latest

    async def _submit_slot(self) -> None:
        """Politeness: the 【提交】 of all workers together start min_submit_interval_s apart.

        Only the spacing is serialised; the submits themselves overlap. Exactly-once needs no lock
        across workers: each certificate is one task (validation rejects a second row for it), and
        its own intent is journaled before its 【提交】.
        """
        async with self._submit_lock:
            gap = self.settings.min_submit_interval_s - (time.monotonic() - self._last_submit)
            if gap > 0:
                await self.control.pause(gap)
            self._last_submit = time.monotonic()
