"""How pytest-xdist's work is cut and ordered (used by tests/conftest.py): the work unit of a test, and how
long each test file takes (seconds, one front end, measured one file at a time on the loaded 2-core
machine: docs/test-times.md) so that the longest go out first. A file not listed counts as DEFAULT_S;
a new file that takes more than a minute belongs in the table."""

from __future__ import annotations

import re

_FRONTEND = re.compile(r"\[(layui|accessible)[-\]]")

DEFAULT_S = 30.0
COSTS: dict[str, float] = {
    "test_robot_run.py": 570,
    "test_robot_resilience.py": 440,
    "test_readback.py": 350,  # over 300 at load 29
    "test_variants.py": 260,  # three seeds, each a unit of its own (INDEPENDENT)
    "test_accounts.py": 250,  # guessed
    "test_fault_drills.py": 200,  # the 30-row drill and the SIGTERM drill
    "test_session_keep.py": 180,  # guessed
    "test_console.py": 150,  # guessed
    "test_doctor.py": 500,
    "test_watch_inbox.py": 120,  # guessed
    "test_watch_signals.py": 120,  # guessed
    "test_no_replayable_secret.py": 90,  # guessed
    "test_watch_retry.py": 80,  # guessed
    "test_hostile_corpus.py": 60,  # guessed
    "test_portal_chaos.py": 290,
    "test_portal_dialog.py": 220,
    "test_portal_login.py": 200,  # guessed, like the two above: a start-up of 60–90, then a UI login a test
    "test_portal_search.py": 150,  # guessed
    "test_portal_guide.py": 120,  # guessed
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
