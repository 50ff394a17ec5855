"""After 【提交】, a text the portal shows while the save is still in flight (a progress text such as
正在提交…) is not the portal's answer: the robot waits for the outcome (here 提交成功) instead of taking
the progress text for a refusal. Both front ends: the progress text is a real `layer.msg` of the page,
shown while the save request is held."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Route

from mock_portal.harness import Portal
from robot.core.model import Authority, Task
from tests.support.robot_worker import connected_worker
from tests.support.workbooks import USER, PortalData

pytestmark = pytest.mark.e2e
PROGRESS = "正在提交…"
SHOW_PROGRESS = """text => { const lay = (window.layui && window.layui.layer) || window.layer;
  lay.msg(text, {time: 60000}); }"""


def _fresh_row(portal: Portal) -> Task:
    done = portal.api.submissions(USER)
    used_certs = {s["certNo"] for s in done}
    used_numbers = {n for s in done for n in s["declarationNos"]}
    data = PortalData(portal.url)
    cert = next(c for c in reversed(data.customs) if c["certNo"] not in used_certs)
    number = next(n for n in reversed(data.good) if n not in used_numbers)
    return Task(2, Authority.CUSTOMS, cert["certNo"], True, (number,))


async def _send_with_progress(url: str, workdir: Path, task: Task) -> tuple[str, list[str]]:
    held: list[str] = []
    async with connected_worker(url, workdir) as (context, worker):
        found = await worker.find_certificate(task)
        assert found is not None
        await worker.prepare(found, task)

        async def slow_save(route: Route) -> None:  # the only request 【提交】 sends
            if route.request.method == "POST" and not held:
                held.append(route.request.url)
                await route.request.frame.evaluate(SHOW_PROGRESS, PROGRESS)
                await asyncio.sleep(1.5)  # the test's portal is slow to answer, the robot must not be
            await route.continue_()

        await context.route("**/*", slow_save)
        return await worker.send(), held


def test_a_progress_text_during_the_save_is_not_taken_for_the_answer(portal: Portal, tmp_path: Path) -> None:
    task = _fresh_row(portal)
    said, held = asyncio.run(_send_with_progress(portal.url, tmp_path, task))
    assert held, "【提交】 sent no request"
    assert PROGRESS not in said
    submitted: list[dict[str, Any]] = portal.api.submissions(USER, task.cert_no)
    assert [s["declarationNos"] for s in submitted] == [list(task.declaration_nos)]
