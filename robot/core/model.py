"""Business objects shared by the runtime: authorities, input rows, tasks, rejections and outcomes.

Names follow docs/GLOSSARY.md (one English name per business term).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path


class Authority(StrEnum):
    """签证机构: who issued the certificate of origin."""

    CUSTOMS = "海关"
    CCPIT = "贸促会"

    @property
    def code(self) -> str:
        """Short ASCII code used in URLs, journal keys and file names."""
        return "customs" if self is Authority.CUSTOMS else "ccpit"

    @property
    def certificate_label(self) -> str:
        """The portal's label for this authority's certificates (guide step 7)."""
        return f"{self.value}原产地证书"

    @classmethod
    def parse(cls, text: str) -> Authority | None:
        """Accepts 海关/贸促会 and the common spellings staff use; None when unknown."""
        value = text.strip()
        aliases = {
            "海关": cls.CUSTOMS,
            "customs": cls.CUSTOMS,
            "海关原产地证书": cls.CUSTOMS,
            "贸促会": cls.CCPIT,
            "ccpit": cls.CCPIT,
            "贸促会原产地证书": cls.CCPIT,
        }
        return aliases.get(value) or aliases.get(value.lower())


class Result(StrEnum):
    """处理结果 of one input row in the result workbook."""

    SUCCESS = "成功"
    """海关接收成功: the customs accepted the supplement (or it was accepted when looked up again)."""
    SUBMITTED = "已提交，待回执"
    """【提交】 succeeded but no final 补录状态 was read yet: `corobot reconcile` (also run first by
    run/watch) turns it into 成功 or 失败 later; a run ending with such rows and no failures exits 7."""
    FAILED = "失败"
    SKIPPED = "跳过"
    INVALID = "无效"
    UNPROCESSED = "未处理"
    """Not worked because the run stopped (portal unusable, stop signal): running again resumes."""


TOTAL = "合计"
COUNT_ORDER = (*(r.value for r in Result), TOTAL)
"""The order counts per 处理结果 are shown in (report, history, console, notifications)."""

# 补录状态 texts (portal's words; PENDING_RECEIPT is the robot's word for "not final at the deadline").
STATUS_DECLARED = "已申报"
STATUS_ACCEPTED = "海关接收成功"
STATUS_REJECTED = "海关接收失败"
STATUS_PENDING_RECEIPT = "待海关接收"
FINAL_STATUSES = frozenset({STATUS_ACCEPTED, STATUS_REJECTED})


@dataclass(frozen=True)
class Task:
    """One valid input row: a certificate and the declaration numbers to supplement."""

    row: int
    authority: Authority
    cert_no: str
    exported: bool
    declaration_nos: tuple[str, ...]
    exporter_code: str | None = None
    cert_type: str | None = None
    created_on: date | None = None

    @property
    def declarations_text(self) -> str:
        """Numbers as the portal wants them: joined by ASCII semicolons."""
        return ";".join(self.declaration_nos)

    @property
    def key(self) -> str:
        """Identity in the journal: the same certificate with the same answer is the same work."""
        numbers = ";".join(sorted(self.declaration_nos))
        return f"{self.authority.code}|{self.cert_no}|{'1' if self.exported else '0'}|{numbers}"


@dataclass(frozen=True)
class Rejection:
    """Why an input cell is unusable: row, column, value and reason, in Chinese."""

    row: int
    column: str
    value: str
    reason: str

    def message(self) -> str:
        return f"第{self.row}行 列【{self.column}】值“{self.value}”：{self.reason}"


@dataclass
class InputRow:
    """A data row of the input sheet as given, with its task or its rejections."""

    row: int
    values: dict[str, str]
    task: Task | None = None
    rejections: list[Rejection] = field(default_factory=list)
    account: str = ""
    """The label of the account that works the row (robot.books.account_column); "" = none found."""


@dataclass
class InputWorkbook:
    """The parsed input: header as given and every data row (valid or not)."""

    path: Path
    sheet: str
    headers: list[str]
    rows: list[InputRow]

    @property
    def tasks(self) -> list[Task]:
        return [r.task for r in self.rows if r.task is not None]

    @property
    def rejections(self) -> list[Rejection]:
        return [j for r in self.rows for j in r.rejections]


class Verdict(Enum):
    """What became of a row, apart from its Chinese display (Result, 说明): what the robot acts on."""

    DONE = "done"
    """成功 (海关接收成功), or 跳过: done now or earlier, nothing left to do."""
    AWAITING_RECEIPT = "awaiting receipt"
    """已提交，待回执: sent; reconcile reads the receipt (exit code 7 when nothing else is wrong)."""
    BUSINESS_FAILURE = "business failure"
    """失败 or 无效: the portal, the customs or the data said no; never retried."""
    RETRY_LATER = "retry later"
    """未处理 “待重试”: system errors after all its attempts; running again finishes it (exit code 3)."""
    NOT_REACHED = "not reached"
    """未处理: the run stopped before or while working it; running again resumes."""


@dataclass
class RowOutcome:
    """What happened to one row: the 明细 columns the robot adds."""

    row: int
    result: Result
    message: str = ""
    status: str = ""
    processed_at: datetime | None = None
    evidence: list[Path] = field(default_factory=list)
    retry_later: bool = False
    """未处理 because system errors kept it from finishing after its attempts (说明 “待重试：…”)."""

    @property
    def verdict(self) -> Verdict:
        if self.result is Result.UNPROCESSED:
            return Verdict.RETRY_LATER if self.retry_later else Verdict.NOT_REACHED
        if self.result is Result.SUBMITTED:
            return Verdict.AWAITING_RECEIPT
        if self.result in (Result.FAILED, Result.INVALID):
            return Verdict.BUSINESS_FAILURE
        return Verdict.DONE


@dataclass
class RunSummary:
    """The 汇总 sheet's facts."""

    started_at: datetime
    finished_at: datetime
    portal_url: str
    account: str
    robot_version: str
    input_path: Path
    dry_run: bool = False
