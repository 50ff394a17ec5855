"""The hostile corpus (tests/support/hostile/corpus.py, issue 18): every file judged right by `corobot validate` run as
child processes (a crash is seen as a crash) and by the inbox (`corobot watch --once`, and `read_check` for
the files with valid rows, which would otherwise go to the portal); no process dies, each child's peak RSS
stays under 500 MiB and each file's CPU time under 10 s (CPU, not wall time: the machine may be loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.core.config import Settings
from robot.engine.journal import file_sha256
from robot.ops.inbox import read_check
from robot.ops.inbox_ledger import InboxLedger
from tests.support.hostile.corpus import Case, build_all, cases, distinct_for_inbox
from tests.support.hostile.runner import MAX_RSS_MIB, judge, run_alone, run_batch, run_inbox

CASES = cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("hostile"), CASES)


def test_the_corpus_has_at_least_100_files() -> None:
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)


def test_validate_judges_every_file_right(corpus: dict[str, Path], tmp_path: Path) -> None:
    batch = [c for c in CASES if not c.isolate]
    verdicts, child = run_batch(batch, corpus, tmp_path)
    wrong = {c.name: problem for c in batch if (problem := judge(c, verdicts[c.name]))}
    assert not wrong, "\n".join(f"{name}: {problem}" for name, problem in wrong.items())
    assert child.rss_mib < MAX_RSS_MIB


@pytest.mark.parametrize("case", [c for c in CASES if c.isolate], ids=lambda c: c.name)
def test_validate_alone_on_the_dangerous_files(case: Case, corpus: dict[str, Path], tmp_path: Path) -> None:
    verdict = run_alone(case, corpus[case.name], tmp_path)
    assert judge(case, verdict) is None, judge(case, verdict)


def test_the_inbox_files_every_unusable_file_under_failed_with_its_reason(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    chosen = distinct_for_inbox(CASES)
    run = run_inbox(chosen, corpus, tmp_path)
    output = run.child.stdout + run.child.stderr
    assert run.child.returncode == 2, output[-3000:]
    assert "Traceback" not in output
    assert run.child.rss_mib < MAX_RSS_MIB
    assert not run.left, f"left in the inbox or processing/: {run.left}"
    wrong = {
        c.name: run.notes[c.file_name][:300]
        for c in chosen
        if not run.notes[c.file_name] or not all(t in run.notes[c.file_name] for t in c.note_texts)
    }
    assert not wrong, wrong


def test_the_inbox_reads_the_usable_ones(corpus: dict[str, Path], tmp_path: Path) -> None:
    """In this process: the big ones (isolated above) are left out to keep the suite short; the inbox reads
    them with the same `read_input`."""
    settings = Settings(state_dir=tmp_path / "state")
    usable = [c for c in CASES if c.exit == 0 and not c.args and not c.isolate]
    with InboxLedger(settings.state_dir) as ledger:
        problems = {
            c.name: reason
            for c in usable
            if (reason := read_check(corpus[c.name], settings, ledger, file_sha256(corpus[c.name])))
        }
    assert not problems, problems
