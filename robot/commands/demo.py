"""`corobot demo`: the main job end to end on the bundled mock portal.

Starts the mock portal, builds a sample workbook from its data (valid rows of both authorities,
是/否, several numbers per row, and invalid rows), runs it like `corobot run` (captcha read by
OCR), and prints the summary and the report's path. Everything lands in the demo folder.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
from openpyxl import Workbook

from robot.commands.wiring import portal_workers
from robot.core.config import Settings
from robot.core.exit_codes import ExitCode
from robot.core.secrets import Secret
from robot.engine.job import RunRequest, run_job

DEMO_USER = "exporter1"
DEMO_PASSWORD = "Corobot#2026"
HEADERS = ["签证机构", "证明号", "是否实际出口", "报关单号", "出口商代码", "备注"]


@contextmanager
def mock_portal(*flags: str) -> Iterator[str]:
    """Runs `python -m mock_portal --port 0 --test-api FLAGS` and yields its base URL."""
    from mock_portal.harness import start_portal, stop_portal

    portal = start_portal("--test-api", *flags)
    try:
        yield portal.url
    finally:
        stop_portal(portal)


def build_sample(url: str, path: Path) -> None:
    """A workbook mixing valid and invalid rows, made from the portal's own certificates."""
    certs = httpx.get(f"{url}/__test__/certificates", params={"enterprise": DEMO_USER}).json()
    decls = httpx.get(f"{url}/__test__/declarations", params={"enterprise": DEMO_USER}).json()
    good = [
        d["number"]
        for d in decls
        if d["enterprise"] == DEMO_USER and d["flag"] == "0" and d["status"] in ("放行", "结关")
    ]
    held = [d["number"] for d in decls if d["enterprise"] == DEMO_USER and d["status"] == "未放行"]
    customs = [c for c in certs if c["approved"] and c["authority"] == "海关"]
    ccpit = [c for c in certs if c["approved"] and c["authority"] == "贸促会"]
    rows: list[list[str]] = [
        ["海关", customs[0]["certNo"], "是", good[0], customs[0]["exporterCode"], "单个报关单号"],
        ["海关", customs[1]["certNo"], "是", f"{good[1]}；{good[2]}", "", "全角分号，机器人会规范为英文分号"],
        ["海关", customs[2]["certNo"], "否", "", "", "未实际出口"],
        ["贸促会", ccpit[0]["certNo"], "是", f"{good[3]}\n{good[4]}", "", "换行分隔的两个报关单号"],
        ["贸促会", ccpit[1]["certNo"], "", good[5], "", "是否实际出口留空=是"],
        ["海关", customs[3]["certNo"], "是", held[0] if held else good[6], "", "报关单未放行：海关接收失败"],
        ["海关", "A269999999999999", "是", good[7], "", "门户中没有此证书：失败"],
        ["海关", customs[4]["certNo"], "是", "51012024000001234", "", "无效：17位"],
        ["海关", customs[5]["certNo"], "是", good[8][:8] + "1" + good[8][9:], "", "无效：进口报关单"],
        ["海关", customs[6]["certNo"], "否", good[9], "", "无效：选否却填了报关单号"],
        ["海关", "", "是", good[10], "", "无效：缺证明号"],
        ["商务部", customs[7]["certNo"], "是", good[11], "", "无效：签证机构未知"],
        ["海关", customs[8]["certNo"], "是", "", "", "无效：选是却没有报关单号"],
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "补录清单"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    sheet.append(["海关", customs[9]["certNo"], "是", float(good[12]), "", "无效：Excel 把报关单号存成了数字"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


MARKER = ".corobot-demo"


def run_demo(out: Path, headed: bool = False, verbose: bool = False) -> ExitCode:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        print(f"演示目录 {out} 已有其他文件，为免误删请换一个空目录（--out）", file=sys.stderr)
        return ExitCode.INPUT_UNUSABLE
    shutil.rmtree(out, ignore_errors=True)  # only an earlier demo's folder (it carries the marker)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("corobot demo output; `corobot demo` replaces this folder\n", encoding="utf-8")
    with mock_portal("--receipt-delay", "2") as url:
        print(f"模拟门户：{url}（演示账号 {DEMO_USER} / {DEMO_PASSWORD}）")
        workbook = out / "演示-补录清单.xlsx"
        build_sample(url, workbook)
        settings = replace(
            Settings(),
            portal_url=url,
            username=DEMO_USER,
            password=Secret(DEMO_PASSWORD),
            state_dir=out / "state",
            out_dir=out,
            headed=headed,
            receipt_deadline_s=30,
            receipt_poll_s=2,
        )
        result = run_job(settings, RunRequest(workbook, verbose=verbose), workers=portal_workers)
    print(f"结果文件：{result.report}")
    print(f"（corobot run 对此工作簿的退出码为 {int(result.exit_code)}：演示中故意含有无效行和失败行）")
    # The demo succeeds when the run worked; rows failing on purpose are part of the show.
    return ExitCode.OK if result.exit_code in (ExitCode.OK, ExitCode.ROWS_FAILED) else result.exit_code
