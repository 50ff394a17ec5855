"""补录信息查询 without 【查询】 (the layui variant with no filters) is read again by reloading its page: a
navigation with a deadline. Read twice, the list is read both times; a reload the portal does not answer
is a system error (the application is reloaded and the read tried again), in Chinese, never a raw
browser error nor a "changed page"."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Route

from mock_portal.harness import Portal, start_portal, stop_portal
from robot.core.errors import PageChanged, PortalSystemError
from tests.support.robot_worker import connected_worker

pytestmark = pytest.mark.e2e
FRONTENDS = ("layui",)  # only the layui front end has a 补录信息查询 without filters


@pytest.fixture(scope="module")
def bare_list() -> Iterator[Portal]:
    running = start_portal("--test-api", "--variant", "0", "--variant-force", "record_filters=none")
    yield running
    stop_portal(running)


async def _read_twice_then_unanswered(url: str, workdir: Path) -> tuple[int, int, BaseException | None]:
    async with connected_worker(url, workdir, request_retries=1) as (context, worker):
        since = date.today() - timedelta(days=365)
        first = await worker.all_supplements(since)
        second = await worker.all_supplements(since)

        async def refuse_documents(route: Route) -> None:
            request = route.request
            if request.resource_type == "document" and request.frame != request.frame.page.main_frame:
                await route.abort("connectionreset")
            else:
                await route.continue_()

        await context.route("**/*", refuse_documents)
        try:
            await worker.all_supplements(since)
        except BaseException as error:  # the kind is what is checked
            return len(first), len(second), error
        return len(first), len(second), None


def test_a_list_without_query_is_reloaded_with_a_deadline(bare_list: Portal, tmp_path: Path) -> None:
    first, second, error = asyncio.run(_read_twice_then_unanswered(bare_list.url, tmp_path))
    assert first == second
    assert isinstance(error, PortalSystemError) and not isinstance(error, PageChanged), repr(error)
    assert "补录信息查询" in str(error)
