"""Shared fixtures: the mock portal as a subprocess with its test API, browser launch args, UI login."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from mock_portal import guide_steps
from mock_portal.harness import CHAOS_DEFAULTS, DEMO_PASSWORD, Portal, start_portal, stop_portal
from robot.browser_path import LAUNCH_ARGS, find_browser


@pytest.fixture(scope="session")
def portal() -> Iterator[Portal]:
    """One mock portal (test API on, 1 s receipt delay) for the whole test session."""
    running = start_portal("--test-api", "--receipt-delay", "1")
    yield running
    stop_portal(running)


@pytest.fixture
def chaos(portal: Portal) -> Iterator[Callable[..., dict[str, Any]]]:
    """Sets chaos knobs for one test and restores the defaults afterwards."""
    yield portal.api.chaos
    portal.api.chaos(**CHAOS_DEFAULTS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": find_browser(), "args": LAUNCH_ARGS}


@pytest.fixture
def login(portal: Portal) -> Callable[..., None]:
    """`login(page, user="exporter1")`: logs `page` in through the UI."""

    def _login(page: Page, user: str = "exporter1", password: str = DEMO_PASSWORD) -> None:
        guide_steps.login(page, portal.url, user, password, portal.api.captcha)

    return _login
