"""The summary of one finished run that notifications carry (webhook and mail share it)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from robot.core.exit_codes import ExitCode
from robot.core.model import COUNT_ORDER

EXIT_TEXT = {
    ExitCode.OK: "全部完成",
    ExitCode.ROWS_FAILED: "有失败或无效的行",
    ExitCode.INPUT_UNUSABLE: "输入文件无法使用",
    ExitCode.PORTAL_UNAVAILABLE: "门户无法操作（下次运行继续）",
    ExitCode.ANOTHER_INSTANCE: "另一个机器人正在运行",
    ExitCode.STOPPED: "被停止（下次运行继续）",
    ExitCode.PAGE_CHANGED: "门户页面与机器人所知不同（请运行 corobot doctor）",
    ExitCode.RECEIPTS_PENDING: "已提交，待海关回执（corobot reconcile 稍后对账）",
}


@dataclass(frozen=True)
class RunNotice:
    workbook: str
    """The input file's name."""
    exit_code: int
    counts: dict[str, int]
    report: Path | None
    placed: str = ""
    """Where `corobot watch` filed the input (done/…, failed/…); empty for `corobot run`."""
    note: str = ""
    accounts: tuple[str, ...] = ()
    """Labels of the accounts the run's rows went to."""
    host: str = field(default_factory=socket.gethostname)
    finished_at: datetime = field(default_factory=lambda: datetime.now().astimezone())

    @property
    def outcome(self) -> str:
        try:
            return EXIT_TEXT[ExitCode(self.exit_code)]
        except ValueError:
            return f"退出码 {self.exit_code}"

    @property
    def title(self) -> str:
        who = f"（{'、'.join(self.accounts)}）" if self.accounts else ""
        return f"corobot 补录：{self.workbook}{who} {self.outcome}"

    def counts_text(self) -> str:
        return "，".join(f"{k} {self.counts[k]}" for k in COUNT_ORDER if self.counts.get(k)) or "无"

    def lines(self) -> list[str]:
        """Label/value lines, in Chinese, for people."""
        lines = [
            ("文件", self.workbook),
            *((("账号", "、".join(self.accounts)),) if self.accounts else ()),
            ("结果", f"{self.outcome}（退出码 {self.exit_code}）"),
            ("行数", self.counts_text()),
            ("报告", str(self.report) if self.report else "（无）"),
        ]
        if self.placed:
            lines.append(("文件位置", self.placed))
        if self.note:
            lines.append(("说明", self.note))
        lines.append(("电脑", f"{self.host}，{self.finished_at:%Y-%m-%d %H:%M:%S}"))
        return [f"{label}：{value}" for label, value in lines]

    def as_json(self) -> dict[str, object]:
        return {
            "event": "corobot.run.finished",
            "workbook": self.workbook,
            "exit_code": self.exit_code,
            "outcome": self.outcome,
            "counts": self.counts,
            "report": str(self.report) if self.report else None,
            "placed": self.placed or None,
            "note": self.note or None,
            "accounts": list(self.accounts),
            "host": self.host,
            "finished_at": self.finished_at.isoformat(timespec="seconds"),
        }
