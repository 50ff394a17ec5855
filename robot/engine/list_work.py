"""Working down the list: which rows of a run share one search, and the rows of such a group still to do.

With `search_mode = "list"`, rows whose search is the same (`robot.core.portal.ListSearch`: 签证机构 and
the same or no 证明类型, 出口商代码, 证明创建日期) and that are more than one form a `ListGroup`: the runner
searches once and works every row whose certificate the result page shows, page by page (each worker
walking the list claims its rows from the group, so no row is worked twice). A row that is alone, or whose
certificate no page showed, is searched on its own, as with `search_mode = "row"`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from robot.core.model import Task
from robot.core.portal import ListSearch

LIST_RESTARTS = 3
"""How often one worker starts a list over after it changed under it (another search, a reload, an error)
before it searches the group's remaining rows one by one."""


@dataclass
class ListGroup:
    """Rows sharing one search; `pending` are those no worker has taken yet (证明号 → row)."""

    search: ListSearch
    pending: dict[str, Task] = field(default_factory=dict)

    def claim(self, cert_no: str) -> Task | None:
        """The row of this certificate, taken (None when it is not in the group or already taken)."""
        return self.pending.pop(cert_no, None)

    def give_back(self, task: Task) -> None:
        self.pending[task.cert_no] = task

    def claim_any(self) -> Task | None:
        """Any row still to do (the first in the workbook's order), taken."""
        for cert_no in self.pending:
            return self.pending.pop(cert_no)
        return None

    def __len__(self) -> int:
        return len(self.pending)


def plan(tasks: list[Task], mode: str, done: Callable[[Task], bool]) -> tuple[list[ListGroup], list[Task]]:
    """The run's work: groups to work down a list, and rows to search one by one (rows an earlier run
    finished, `done`, are never part of a list: they need no search)."""
    singles: list[Task] = []
    groups: dict[ListSearch, ListGroup] = {}
    for task in sorted(tasks, key=lambda t: (t.authority.code, t.row)):
        if mode != "list" or done(task):
            singles.append(task)
            continue
        search = ListSearch.of(task)
        groups.setdefault(search, ListGroup(search)).give_back(task)
    lists = [g for g in groups.values() if len(g) > 1]
    singles += [t for g in groups.values() if len(g) == 1 for t in g.pending.values()]
    return lists, sorted(singles, key=lambda t: (t.authority.code, t.row))
