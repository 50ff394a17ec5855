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
