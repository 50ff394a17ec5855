"""Exit codes of every corobot command (documented in README, section Exit codes)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """Every row done, or already done earlier."""
    ROWS_FAILED = 1
    """Some rows failed for a business reason or were rejected as invalid."""
    INPUT_UNUSABLE = 2
    """The input file cannot be used at all (missing, unreadable, no 证明号/报关单号 column); also an
    output workbook of template/worklist/harvest that exists already (no --force)."""
    PORTAL_UNAVAILABLE = 3
    """The portal could not be worked: login failed, unreachable, too many system errors. Run again to resume."""
    ANOTHER_INSTANCE = 4
    """Another corobot is already working with this state folder (file lock); nothing was done."""
    STOPPED = 5
    """Stopped by SIGTERM or Ctrl-C before the end; the journal is consistent and running again resumes."""
    PAGE_CHANGED = 6
    """A portal page differs from what the robot knows: the same guide element was missing twice after
    the first row, so the run stopped working rows (the rest stay 未处理, nothing sent twice). Run
    `corobot doctor`, adapt the portal profile's [words], then run again to resume."""
    RECEIPTS_PENDING = 7
    """No row failed, but some were submitted and their receipt was not read yet (已提交，待回执):
    `corobot reconcile` (also run first by run/watch) turns them into 成功 or 失败 later."""


SEVERITY = (
    ExitCode.OK,
    ExitCode.RECEIPTS_PENDING,
    ExitCode.ROWS_FAILED,
    ExitCode.INPUT_UNUSABLE,
    ExitCode.PORTAL_UNAVAILABLE,
    ExitCode.PAGE_CHANGED,
    ExitCode.ANOTHER_INSTANCE,
    ExitCode.STOPPED,
)
"""Exit codes from the mildest to the gravest: the numbers 6 and 7 came later, so `max` is not it."""


def worst(*codes: ExitCode) -> ExitCode:
    """The gravest of `codes` (OK when none): what a command that handled several things exits with."""
    return max(codes, key=SEVERITY.index, default=ExitCode.OK)
