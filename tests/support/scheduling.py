"""How pytest-xdist's work is cut and ordered (used by tests/conftest.py): the work unit of a test, and how
long each test file takes (seconds, one front end, from a full run of the suite: docs/test-times.md) so
that the longest go out first. A file not listed counts as DEFAULT_S; a new file that takes more than a
minute belongs in the table."""

from __future__ import annotations

import re

_FRONTEND = re.compile(r"\[(layui|accessible)[-\]]")

DEFAULT_S = 30.0
COSTS: dict[str, float] = {
    # measured 2026-12-06 in a full `make test` run (-n 2, a quiet machine but for one helper): the sum of
    # a file's test durations on one front end; "guessed" ones were below pytest's 80 slowest
    "test_robot_run.py": 300,
    "test_robot_resilience.py": 280,  # the chaos run at 16 rows (30 in make drills), the login expired at 【查询】
    "test_readback.py": 260,
    "test_variants.py": 260,  # three seeds, each a unit of its own (INDEPENDENT)
    "test_fault_drills.py": 270,  # the 30-row drill and the SIGTERM drill
    "test_break_agreement.py": 220,  # two doctor + run pairs (layui only)
    "test_hosts.py": 220,  # PostgreSQL, two hosts a drill (layui only)
    "test_console.py": 230,
    "test_list_run.py": 180,
    "test_session_keep.py": 180,
    "test_accounts.py": 150,
    "test_doctor.py": 150,
    "test_watch_inbox.py": 120,  # guessed
    "test_watch_signals.py": 120,  # guessed
    "test_no_replayable_secret.py": 90,  # guessed
    "test_watch_retry.py": 80,  # guessed
    "test_hostile_corpus.py": 60,  # guessed
    "test_portal_chaos.py": 120,
    "test_portal_dialog.py": 120,
    "test_portal_login.py": 100,  # guessed, like the two above: a start-up, then a UI login a test
    "test_portal_search.py": 100,  # guessed
    "test_portal_guide.py": 100,  # guessed
    "test_portal_records.py": 100,  # guessed
    "test_portal_layui.py": 100,  # guessed
}
INDEPENDENT = {"test_variants.py"}
"""Files whose tests share no fixture above function scope: xdist may give each test to another worker."""


def cost_of(file_name: str) -> float:
    return COSTS.get(file_name, DEFAULT_S)


def work_unit(nodeid: str) -> str:
    """The xdist scope of `nodeid`: its file, with its front end if it has one; the test itself in an
    `INDEPENDENT` file."""
    path = nodeid.split("::", 1)[0]
    if path.rsplit("/", 1)[-1] in INDEPENDENT:
        return nodeid
    found = _FRONTEND.search(nodeid)
    return f"{path}[{found.group(1)}]" if found else path
