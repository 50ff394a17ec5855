"""`python -m bench.browser_min --url … --workbook W --result R.json`: the least a browser does per row.

Not the robot, and not a client anyone should run: a script that knows the mock's layui markup (the
layer's iframe, `.layui-form-radio`, the layer's first button) and does nothing but the clicks of a row,
so that the benchmark page can tell the page's own cost per row (the dialog's page loading and running
its scripts, the save, the list's refresh after it) from the robot's care (reading every outcome,
checking the list, tracing, the journal). Kind `browser_min` on the page.

The way in is the robot's own (flows.portal.PortalWorker: login, the application, one list search per
authority, its page turns), with the profile's defaults (animations cut, as the robot runs); then, per
workbook row its list page shows: 【补录】, 是, the number, 【提交】, and the wait until the dialog goes
away (the mock closes it on success). No trace, no journal, no outcome read. Browser CPU is read with
psutil over this process's children at the first and at the last row done.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

import psutil
from openpyxl import load_workbook
from playwright.async_api import async_playwright

from flows import widgets
from flows.pages.app_shell import AppShell
from robot.commands.wiring import portal_worker
from robot.core.config import Settings
from robot.core.model import Authority
from robot.core.portal import ListSearch
from robot.core.secrets import Secret
from robot.session.browser import find_browser

USER = "exporter1"
PASSWORD = "Corobot#2026"
DIALOG = ".layui-layer-iframe:not(.layer-anim-close)"


def browser_cpu_s() -> float:
    """CPU seconds (user + system) of this process's Chromium children so far."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name().lower() or "headless" in child.name().lower():
                times = child.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            continue
    return total


def workbook_rows(path: Path) -> dict[str, list[tuple[str, str]]]:
    """authority → [(证明号, number)] of a bench workbook (bench.workbooks.save_plain)."""
    sheet = load_workbook(path, read_only=True).active
    assert sheet is not None
    rows: dict[str, list[tuple[str, str]]] = {}
    for authority, cert_no, _, number, *_ in sheet.iter_rows(min_row=2, values_only=True):
        rows.setdefault(str(authority), []).append((str(cert_no), str(number)))
    return rows


async def run(url: str, workbook: Path) -> dict[str, Any]:
    started = time.time()
    settings = Settings(portal_url=url, username=USER, password=Secret(PASSWORD), captcha_solver="test-api")
    stamps: list[float] = []
    cpu: list[float] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser())
        context = await browser.new_context()
        worker = portal_worker(context, settings)
        await worker.connect()
        for authority, rows in workbook_rows(workbook).items():
            numbers = dict(rows)
            async for listed in worker.list_pages(ListSearch(Authority(authority), None, None, None)):
                frame = AppShell(worker.page, worker.profile).front()
                for cert_no, found in listed.certificates.items():
                    number = numbers.pop(cert_no, None)
                    if number is None:
                        continue
                    await widgets.clickable(found.row, "补录").click()
                    dialog = frame.locator(DIALOG)
                    inside = dialog.frame_locator("iframe")
                    await inside.locator(".layui-form-radio").filter(has_text="是").click()
                    await inside.get_by_placeholder("请输入报关单号").fill(number)
                    await dialog.locator(".layui-layer-btn0").click()
                    await dialog.wait_for(state="hidden")
                    stamps.append(time.time())
                    if len(stamps) == 1:
                        cpu.append(browser_cpu_s())
                if not numbers:
                    break
        cpu.append(browser_cpu_s())
        await browser.close()
    return {"started": started, "stamps": stamps, "finished": time.time(), "browser_cpu_s": cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--workbook", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.url, args.workbook))
    args.result.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
