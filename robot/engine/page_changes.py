"""A portal page that differs from what the robot knows: the same guide element missing twice stops the run.

`flows` raises `PageChanged` (words looked for, what was seen) when a guide element is missing from a
page that has loaded. One such miss may be a page caught mid-render, so the row is tried again; the
same element missing a second time (in any row, or while getting in) means the portal changed: the
run stops working rows and exits `PAGE_CHANGED` (6), naming the step and the words and advising
`corobot doctor`. A dialog that did not open (`PassingError` too) is a passing error, never counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from robot.core.errors import PageChanged, PassingError

TIMES = 2
"""How often the same guide element must be missing before the run stops."""


@dataclass(frozen=True)
class PageChange:
    """The step (the robot's Chinese name of what it was doing) and the guide's words not found."""

    step: str
    words: str
    seen: str = ""

    def short(self) -> str:
        """The reason in one line (说明 of the rows left 未处理)."""
        return f"门户页面已变化：“{self.step}”未找到【{self.words}】，请运行 corobot doctor"

    def text(self) -> str:
        """What a person reads: which step, which words, what to do (no locator)."""
        seen = f"（页面上看到的是：{self.seen}）" if self.seen else ""
        return (
            f"门户页面与机器人所知的不同：在“{self.step}”这一步两次未找到【{self.words}】{seen}。"
            f"请运行 corobot doctor 检查门户，按其提示调整门户配置的 [words] 后再次运行；其余行未处理，"
            f"已提交的行不会重复提交"
        )


@dataclass
class PageChanges:
    """Counts the misses of each guide element during one run."""

    times: int = TIMES
    _misses: dict[str, int] = field(default_factory=dict)

    def missed(self, error: Exception, step: str) -> PageChange | None:
        """Notes `error` when it is a missing guide element; the change once it was missing `times` times."""
        if not isinstance(error, PageChanged) or isinstance(error, PassingError):
            return None
        count = self._misses.get(error.words, 0) + 1
        self._misses[error.words] = count
        return PageChange(step, error.words, error.seen) if count >= self.times else None
