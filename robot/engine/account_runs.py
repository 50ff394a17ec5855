"""One run over several accounts: each account's rows are worked by its own Runner (own browser
contexts, own login and saved login file, own politeness, its journal view scoped to its portal
address and username), side by side in one browser within the global max_workers.

An account that cannot be worked (wrong password, locked, another enterprise shown, portal down)
leaves only its own rows 未处理 with the reason; the other accounts go on.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from pathlib import Path

from loguru import logger

from robot.core.accounts import Account
from robot.core.config import Settings
from robot.core.errors import LoginFailed, PortalSystemError
from robot.core.model import RowOutcome, Task
from robot.core.portal import PortalWorkers
from robot.engine.journal import Journal
from robot.engine.journal_open import scope_of
from robot.engine.page_changes import PageChange
from robot.engine.runner import RunAborted, Runner
from robot.engine.stopping import STOP
from robot.session.browser import BrowserSession
from robot.session.session_store import load_session, save_session, session_path

STOP_KILL_MARGIN_S = 1.5
"""After a stop, rows in flight get stop_grace_s; this much later a browser still running is killed."""


def plan_workers(wanted: dict[str, int], max_workers: int) -> tuple[dict[str, int], int]:
    """Workers per account (at least one each, all together at most max_workers) and how many
    accounts may work at once (the others wait for a free slot)."""
    if not wanted:
        return {}, 1
    budget = max(1, max_workers)
    plan = dict.fromkeys(wanted, 1)
    if len(wanted) >= budget:
        return plan, budget
    spare = budget - len(wanted)
    while spare > 0:
        grown = [name for name in wanted if plan[name] < wanted[name]]
        for name in grown[:spare]:
            plan[name] += 1
        spare -= len(grown[:spare])
        if not grown:
            break
    return plan, len(wanted)


@dataclass
class AccountWork:
    """One account's share of a run, and what became of it."""

    account: Account
    settings: Settings
    tasks: list[Task]
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    entries: list[dict[str, str]] = field(default_factory=list)
    failure: str = ""
    """Why the account's rows could not all be worked (they stay 未处理; running again resumes)."""
    page_change: PageChange | None = None
    """A portal page differed from what the robot knows (exit code 6, PAGE_CHANGED)."""


async def work_accounts(
    settings: Settings,
    journal: Journal,
    run_id: int,
    works: list[AccountWork],
    evidence_dir: Path,
    dry_run: bool,
    workers: PortalWorkers,
) -> None:
    """Works every account's rows; fills each AccountWork's outcomes, entries and failure."""
    plan, at_once = plan_workers(
        {w.account.label: min(w.settings.workers, len(w.tasks)) for w in works}, settings.max_workers
    )
    gate = asyncio.Semaphore(at_once)
    runners: list[Runner] = []
    sessions: list[BrowserSession] = []
    loop = asyncio.get_running_loop()

    def stop_all() -> None:
        for runner in runners:
            runner.abort(STOP.reason)
        # Whatever the browser does, the robot is gone within 10 s: rows in flight get stop_grace_s,
        # then a browser still running (stuck, or slow to close) is killed with its process group.
        for session in sessions:
            loop.call_later(settings.stop_grace_s + STOP_KILL_MARGIN_S, session.kill)

    def stop_soon() -> None:  # called from a signal handler's thread
        loop.call_soon_threadsafe(stop_all)

    unsubscribe = STOP.subscribe(stop_soon)
    try:
        async with BrowserSession(settings) as session:
            sessions.append(session)

            async def one(work: AccountWork) -> None:
                async with gate:
                    await _work_one(
                        work,
                        replace(work.settings, workers=plan[work.account.label]),
                        journal,
                        run_id,
                        session,
                        evidence_dir,
                        dry_run,
                        runners,
                        workers,
                    )

            await asyncio.gather(*(one(w) for w in works))
    finally:
        unsubscribe()


async def _work_one(
    work: AccountWork,
    settings: Settings,
    journal: Journal,
    run_id: int,
    session: BrowserSession,
    evidence_dir: Path,
    dry_run: bool,
    runners: list[Runner],
    workers: PortalWorkers,
) -> None:
    label = work.account.label
    if STOP.requested:
        work.failure = STOP.reason or "运行已停止"
        return
    logger.info(
        "账号 {}：{} 行（门户 {}，{} 个工作窗口）", label, len(work.tasks), settings.portal_url, settings.workers
    )
    saved = session_path(settings.state_dir, settings.account)
    keep = settings.keep_session and not settings.cdp_url  # with --cdp the operator's Chrome holds the login
    runner = Runner(
        settings,
        journal.scoped(scope_of(settings)),
        run_id,
        session,
        lambda context: workers(context, settings),
        evidence_dir,
        dry_run,
        initial_state=load_session(saved) if keep else None,
        save_state=(lambda state: save_session(saved, dict(state))) if keep else None,
    )
    runners.append(runner)
    try:
        work.outcomes = await runner.run(work.tasks)
        if runner.stop.is_set():
            work.failure = runner.abort_reason or "运行已停止"
    except (LoginFailed, RunAborted, PortalSystemError) as error:
        logger.error("账号 {} 无法操作门户：{}", label, error)
        work.outcomes = dict(runner.outcomes)
        work.failure = str(error) or type(error).__name__
    work.entries = list(runner.portal_entries.values())
    work.page_change = runner.page_change
