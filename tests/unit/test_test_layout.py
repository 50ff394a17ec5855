"""The test tree's own rules: test modules share helpers only through tests/support (never import one
another), and unit tests need neither a browser nor a portal process (`make unit` stays fast)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# What starts a browser or a portal process: unit tests import none of it.
PROCESS_MODULES = (
    "playwright",
    "mock_portal.harness",
    "robot.commands.demo",
    "bench.floor",
    "bench.runs",
    "tests.support.console",
    "tests.support.watch",
    "tests.support.portal_wire",
)
BROWSER_FIXTURES = {
    "page",
    "context",
    "new_context",
    "browser",
    "launch_browser",
    "playwright",
    "portal",
    "login",
    "chaos",
    "frontend",
}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_test_modules_import_helpers_only_from_support() -> None:
    # a bare `from input_books import …` works only by pytest's sys.path insertion: also refused
    siblings = tuple(path.stem for path in TESTS.rglob("*.py"))
    wrong = {
        f"{path.relative_to(TESTS)}: {name}"
        for path in TESTS.rglob("*.py")
        for name in _imports(path)
        if (_under(name, ("tests",)) and not _under(name, ("tests.support",))) or _under(name, siblings)
    }
    assert not wrong, sorted(wrong)


def test_unit_tests_need_no_browser_and_no_portal_process() -> None:
    wrong: set[str] = set()
    for path in (TESTS / "unit").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrong.update(f"{path.name} imports {name}" for name in _imports(path) if _under(name, PROCESS_MODULES))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                used = {a.arg for a in node.args.args} & BROWSER_FIXTURES
                wrong.update(f"{path.name}::{node.name} uses {name}" for name in used)
    assert not wrong, sorted(wrong)
