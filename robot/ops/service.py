"""The robot service of `corobot serve`: the one job queue of the engine, worked by one thread.

It owns what `corobot watch` owns (the inbox through `robot.ops.watch.Watcher`, the ledger that
recognises a content taken before, the schedule of inbox looks) plus a queue of work asked for by people:
an uploaded workbook (checked first, run once confirmed), 立即对账, a 待补录清单. Jobs run one at a
time, so a run never shares the portal account with another. The web console only asks the service
(check, confirm, stop, resume, answer a captcha through `robot.engine.captcha_desk`) and reads its status.

Stopping: `stop_current()` stops the run like SIGTERM does (the file stays in processing/, the journal
is consistent) and pauses the queue until `resume()`; a real SIGTERM/Ctrl-C ends the service (`shutdown`).
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from loguru import logger

from robot.books.workbook_in import read_input
from robot.core.config import Settings
from robot.core.errors import InputFileError
from robot.core.exit_codes import ExitCode
from robot.core.live import LIVE
from robot.core.logs import add_lasting_sink
from robot.core.model import Rejection
from robot.core.portal import PortalWorkers
from robot.engine.captcha_desk import DESK
from robot.engine.journal import file_sha256
from robot.engine.reconcile import run_reconcile
from robot.engine.stopping import STOP
from robot.ops.inbox import WORKBOOK_SUFFIX
from robot.ops.inbox_ledger import InboxLedger
from robot.ops.origins import Origins
from robot.ops.schedule import make_trigger, next_fire
from robot.ops.watch import Watcher, WatchRequest

STAGING = ".uploads"
"""Uploaded workbooks wait for confirmation here, inside the inbox (hidden: watch never takes them)."""
LOG_LINES = 40


@dataclass
class Job:
    id: int
    kind: str
    """upload, inbox, queue (several hosts: the shared queue), or task (立即对账, 待补录清单)."""
    title: str
    who: str
    path: Path | None = None
    action: Callable[[], ExitCode] | None = None
    queued_at: datetime = field(default_factory=datetime.now)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    exit_code: int | None = None


@dataclass
class UploadCheck:
    """An uploaded workbook, checked and waiting for its uploader to confirm (or a refusal)."""

    id: str
    name: str
    who: str
    path: Path | None
    sha256: str = ""
    rows: int = 0
    valid: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    refusal: str = ""
    """Why it will not run (unusable file, same content done before); empty = it may be confirmed."""
    job: Job | None = None
    """Its job once confirmed."""


class RobotService:
    def __init__(
        self,
        settings: Settings,
        every: str | None = None,
        cron: str | None = None,
        verbose: bool = False,
        workers: PortalWorkers | None = None,
    ) -> None:
        self.settings = settings
        self.workers = workers
        """The composition root's portal workers (None only in tests that never reach the portal)."""
        self.watcher = Watcher(settings, WatchRequest(verbose=verbose), workers)
        self.inbox = self.watcher.inbox
        self.staging = self.inbox.root / STAGING
        self.outputs = Path(settings.out_dir or Path(settings.inbox_dir).parent / "out") / "console"
        """Where 立即对账 and 待补录清单 write their workbooks."""
        self.origins = Origins(settings.state_dir, settings.journal_url)
        self.trigger = make_trigger(every or (None if cron else settings.watch_every), cron)
        self.next_look: datetime | None = None
        self.current: Job | None = None
        self.recent: deque[Job] = deque(maxlen=20)
        self.uploads: dict[str, UploadCheck] = {}
        self._uploads_lock = threading.Lock()
        self.paused = False
        self.stopped_run = False
        """True once a run was cut short by a real stop signal (exit code 5 of serve)."""
        self.shutdown = threading.Event()
        self.log_tail: deque[str] = deque(maxlen=LOG_LINES)
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._console_stop = False
        self._ids = 0
        self._thread: threading.Thread | None = None

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> None:
        self.inbox.prepare()
        shutil.rmtree(self.staging, ignore_errors=True)  # checks of an earlier start are void
        self.staging.mkdir(parents=True, exist_ok=True)
        self.outputs.mkdir(parents=True, exist_ok=True)
        self.watcher.log_to_watch_file()
        add_lasting_sink(lambda message: self.log_tail.append(str(message).rstrip()))
        DESK.open = True
        STOP.subscribe(self._on_stop)
        self._thread = threading.Thread(target=self._loop, name="corobot-service", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _on_stop(self) -> None:
        if not self._console_stop:
            self.shutdown.set()
            self._wake()

    def _wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    # -- asked by the console --------------------------------------------------------------------
    def check_upload(self, received: Path, name: str, who: str) -> UploadCheck:
        """Checks a received workbook (content, size, every row) before it may join the queue."""
        check = UploadCheck(secrets.token_urlsafe(12), name, who, None)
        folder = self.staging / check.id
        try:
            folder.mkdir(parents=True)
            path = folder / name
            received.replace(path)
            check.path = path
            check.sha256 = file_sha256(path)
            book = read_input(path, settings=self.settings)
        except InputFileError as error:
            check.refusal = f"文件无法使用：{error}"
        except Exception as error:  # e.g. a name the file system refuses: nothing may stay staged
            logger.exception("上传的 {} 无法检查：{}", name, error)
            check.refusal = f"文件无法检查（{type(error).__name__}），未接收"
        else:
            check.rows, check.valid = len(book.rows), len(book.tasks)
            check.rejections = book.rejections
            if not book.tasks:
                check.refusal = "没有有效的行，不会运行。请改正后重新上传。"
        finally:
            received.unlink(missing_ok=True)
        with self._uploads_lock:  # the repeat check and the entry are one step (parallel uploads)
            if not check.refusal:
                check.refusal = self._repeat(check)
            if check.refusal:
                shutil.rmtree(folder, ignore_errors=True)
                check.path = None
            self.uploads[check.id] = check
        return check

    def _repeat(self, check: UploadCheck) -> str:
        with InboxLedger(self.settings.state_dir, self.settings.journal_url) as ledger:
            seen = ledger.get(check.sha256)
        if seen is not None:
            when = f"{seen.finished_at or seen.taken_at:%Y-%m-%d %H:%M}"
            return f"与 {when} 已处理的 {seen.name} 内容完全相同，不会再次运行（结果见 历史）。"
        waiting = [
            u
            for u in self.uploads.values()
            if u.sha256 == check.sha256 and (u.path is not None or (u.job is not None and u.job.finished_at is None))
        ]
        if waiting:
            return f"与刚上传的 {waiting[0].name} 内容完全相同，不会重复运行。"
        return ""

    def user_uploads(self, who: str) -> list[UploadCheck]:
        """The checks of `who`, oldest first."""
        with self._uploads_lock:
            return [c for c in self.uploads.values() if c.who == who]

    def confirm_upload(self, check_id: str, who: str) -> Job | None:
        with self._uploads_lock:  # a double click confirms once
            check = self.uploads.get(check_id)
            if check is None or check.path is None or check.refusal or check.who != who:
                return None
            path, check.path, check.refusal = check.path, None, "已加入队列"
        self.origins.record(check.sha256, f"上传：{who}")
        check.job = self._enqueue("upload", f"上传的 {check.name}（有效 {check.valid} 行）", who, path=path)
        return check.job

    def discard_upload(self, check_id: str, who: str) -> None:
        with self._uploads_lock:
            check = self.uploads.get(check_id)
            if check is None or check.who != who:
                return
            del self.uploads[check_id]
        if check.path is not None:
            shutil.rmtree(check.path.parent, ignore_errors=True)

    def enqueue_task(self, title: str, who: str, action: Callable[[], ExitCode]) -> Job:
        return self._enqueue("task", title, who, action=action)

    def look_now(self, who: str) -> Job:
        return self._enqueue("inbox", "查看收件箱", who)

    def _enqueue(
        self, kind: str, title: str, who: str, path: Path | None = None, action: Callable[[], ExitCode] | None = None
    ) -> Job:
        with self._cond:
            self._ids += 1
            job = Job(self._ids, kind, title, who, path, action)
            self._queue.append(job)
            self._cond.notify_all()
        logger.info("控制台：{} 加入队列（{}）", title, who)
        return job

    def queued(self) -> list[Job]:
        with self._cond:
            return list(self._queue)

    def stop_current(self, who: str) -> bool:
        """Stops the running workbook cleanly (as SIGTERM does) and pauses the queue; False when none runs."""
        job = self.current
        if job is None or job.kind not in ("upload", "inbox") or STOP.requested:
            return False
        logger.warning("控制台：{} 停止了当前运行", who)
        self._console_stop = True
        STOP.request(f"控制台：{who} 停止")
        return True

    def resume(self, who: str) -> None:
        """Ends a pause: first the file a stop left in processing/ (and the inbox), then the queue."""
        with self._cond:
            was_paused, self.paused = self.paused, False
            if was_paused:
                self._ids += 1
                self._queue.appendleft(Job(self._ids, "inbox", "继续处理被停止的文件", who))
            self._cond.notify_all()
        logger.info("控制台：{} 继续处理队列", who)

    def reconcile(self, out_dir: Path) -> ExitCode:
        """立即对账: `corobot reconcile` into `out_dir` with the service's portal workers."""
        if self.workers is None:
            raise RuntimeError("RobotService without portal workers cannot reach the portal")
        return run_reconcile(self.settings, out_dir, workers=self.workers)

    # -- the worker thread -----------------------------------------------------------------------
    def _loop(self) -> None:
        host = self.watcher.host  # several hosts on one PostgreSQL: this one joins the shared queue
        if host is not None:
            host.start()
        try:
            self._jobs()
        finally:
            if host is not None:
                host.stop()

    def _jobs(self) -> None:
        while not self.shutdown.is_set():
            job = self._next_job()
            if job is None:
                continue
            self.current = job
            job.started_at = datetime.now()
            try:
                code = self._work(job)
            except Exception as error:  # one job's crash must not end the service
                logger.exception("控制台任务失败：{}", error)
                code = ExitCode.PORTAL_UNAVAILABLE
            job.exit_code, job.finished_at = int(code), datetime.now()
            LIVE.end()
            if job.kind != "queue":
                self.recent.appendleft(job)
            self.current = None
            if job.kind == "inbox":
                self.next_look = next_fire(self.trigger, None)
            if self._console_stop:
                self._console_stop = False
                STOP.clear()
                self.paused = True
                logger.warning("已停止；文件留在 processing/，点 继续 时接着处理（已提交的行不会重复提交）")
            elif STOP.requested:
                self.stopped_run = code == ExitCode.STOPPED
                self.shutdown.set()

    def _next_job(self) -> Job | None:
        with self._cond:
            if self.shutdown.is_set():
                return None
            now = datetime.now().astimezone()
            if not self.paused and self._queue:
                return self._queue.popleft()
            if not self.paused and (self.next_look is None or now >= self.next_look):
                self._ids += 1
                return Job(self._ids, "inbox", "查看收件箱", "定时")
            wait = 3600.0 if self.paused or self.next_look is None else (self.next_look - now).total_seconds()
            if not self.paused and self.watcher.host is not None and wait > self.settings.queue_poll_s:
                if not self._cond.wait(timeout=self.settings.queue_poll_s):
                    self._ids += 1
                    return Job(self._ids, "queue", "处理共享队列", "定时")
                return None
            self._cond.wait(timeout=max(0.1, wait))
            return None

    def _work(self, job: Job) -> ExitCode:
        logger.info("开始：{}", job.title)
        started = time.monotonic()
        if job.kind == "task" and job.action is not None:
            code = job.action()
            self.watcher.log_to_watch_file()
        elif job.kind == "upload" and job.path is not None:
            with InboxLedger(self.settings.state_dir, self.settings.journal_url) as ledger:
                if job.path.suffix.lower() != WORKBOOK_SUFFIX:
                    return ExitCode.INPUT_UNUSABLE
                code = self.watcher.take(ledger, job.path)
            shutil.rmtree(job.path.parent, ignore_errors=True)
        elif job.kind == "queue" and self.watcher.host is not None:
            return self.watcher.host.drain()
        else:
            code = self.watcher.look()
        logger.info("结束：{}（退出码 {}，{:.0f} 秒）", job.title, int(code), time.monotonic() - started)
        return code
