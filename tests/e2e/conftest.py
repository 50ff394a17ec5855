"""Fixtures of the end-to-end tests: every test runs on both mock front ends (layui and accessible), against
the mock portal as a process of its own with its test API, in real Chromium. A module or test marked
`frontend_neutral` (the front end plays no part: the console, the inbox, processes and signals, secrets)
runs once, on the first front end.

The browser comes from pytest-playwright (its options --headed, --slowmo, --tracing, --screenshot apply),
with the machine's Chromium and corobot's launch arguments (`browser_type_launch_args`). Its Playwright
lives per test module rather than per session: Playwright's sync API marks an event loop as running in
the main thread while it lives, and the modules that run the robot in process (asyncio.run) need that
thread free. The fixtures built on it (`browser_type`, `launch_browser`, `browser`,
`browser_context_args`, all public fixtures of pytest-playwright) follow at module scope.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, Playwright, sync_playwright

from mock_portal import guide_steps
from mock_portal.harness import CHAOS_DEFAULTS, DEMO_PASSWORD, Portal, start_portal, stop_portal
from robot.session.browser_path import LAUNCH_ARGS, find_browser

# The mock front ends the end-to-end suite runs against: every e2e test runs once on each (the robot
# must find its way on both DOMs by the same guide words). COROBOT_TEST_FRONTENDS=layui narrows it.
FRONTENDS = tuple(os.environ.get("COROBOT_TEST_FRONTENDS", "layui,accessible").split(","))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test (through the autouse `_on_frontend`) runs on each front end; a module may name its own
    with a module-level `FRONTENDS`; a test or module marked `frontend_neutral` runs on the first only."""
    if "frontend" in metafunc.fixturenames:
        names = getattr(metafunc.module, "FRONTENDS", FRONTENDS)
        if metafunc.definition.get_closest_marker("frontend_neutral"):
            names = names[:1]
        metafunc.parametrize("frontend", names, indirect=True, scope="session")


@pytest.fixture(scope="session")
def frontend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The front end of this test's mock portals; every portal a test starts, also through `corobot
    demo`'s helper, inherits it via MOCK_FRONTEND."""
    name = getattr(request, "param", FRONTENDS[0])
    before = os.environ.get("MOCK_FRONTEND")
    os.environ["MOCK_FRONTEND"] = name
    yield name
    if before is None:
        os.environ.pop("MOCK_FRONTEND", None)
    else:
        os.environ["MOCK_FRONTEND"] = before


@pytest.fixture(autouse=True)
def _on_frontend(frontend: str) -> str:
    return frontend


@pytest.fixture(scope="session")
def portal(frontend: str) -> Iterator[Portal]:
    """One mock portal per front end (test API on, 1 s receipt delay) for the session."""
    running = start_portal("--test-api", "--receipt-delay", "1", frontend=frontend)
    yield running
    stop_portal(running)


@pytest.fixture
def chaos(portal: Portal) -> Iterator[Callable[..., dict[str, Any]]]:
    """Sets chaos knobs for one test and restores the defaults afterwards."""
    yield portal.api.chaos
    portal.api.chaos(**CHAOS_DEFAULTS)


@pytest.fixture
def login(portal: Portal) -> Callable[..., None]:
    """`login(page, user="exporter1")`: logs `page` in through the UI."""

    def _login(page: Page, user: str = "exporter1", password: str = DEMO_PASSWORD) -> None:
        guide_steps.login(page, portal.url, user, password, portal.api.captcha)

    return _login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options (--headed, --slowmo …) with the browser corobot drives."""
    return {**browser_type_launch_args, "executable_path": find_browser(), "args": LAUNCH_ARGS}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright for one test module (see the module docstring)."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args: dict[str, Any], browser_type: BrowserType) -> Callable[..., Browser]:
    return lambda **kwargs: browser_type.launch(**{**browser_type_launch_args, **kwargs})


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def browser_context_args(playwright: Playwright, device: str | None, base_url: str | None) -> dict[str, Any]:
    """The options of every test's context: --device and --base-url (--video is not supported)."""
    args: dict[str, Any] = dict(playwright.devices[device]) if device else {}
    if base_url:
        args["base_url"] = base_url
    return args
