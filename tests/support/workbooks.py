"""Builds input workbooks for the robot's end-to-end tests from the mock portal's own data, and reads the
robot's output workbooks back as rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
from openpyxl import load_workbook

from bench.workbooks import HEADERS, save_rows

USER = "exporter1"
__all__ = ["HEADERS", "USER", "Expected", "PortalData", "Sample", "save_rows"]


@dataclass
class Expected:
    """What the test expects of one input row."""

    row: int
    result: str
    authority: str = ""
    cert_no: str = ""
    exported: str = ""
    numbers: list[str] = field(default_factory=list)
    status: str = ""


@dataclass
class Sample:
    path: Path
    expected: list[Expected]

    @property
    def submitted(self) -> list[Expected]:
        return [e for e in self.expected if e.result == "成功"]


class PortalData:
    def __init__(self, url: str) -> None:
        certs = httpx.get(f"{url}/__test__/certificates", params={"enterprise": USER}).json()
        decls = httpx.get(f"{url}/__test__/declarations", params={"enterprise": USER}).json()
        self.customs = [c for c in certs if c["approved"] and c["authority"] == "海关"]
        self.ccpit = [c for c in certs if c["approved"] and c["authority"] == "贸促会"]
        self.good = [
            d["number"]
            for d in decls
            if d["enterprise"] == USER and d["flag"] == "0" and d["status"] in ("放行", "结关")
        ]
        self.held = [d["number"] for d in decls if d["enterprise"] == USER and d["status"] == "未放行"]


def mixed_sample(url: str, path: Path, valid: int = 20) -> Sample:
    """`valid` valid rows (both authorities, 是/否, 1–3 numbers, odd separators) + 12 kinds of invalid rows."""
    data = PortalData(url)
    certs = [c for pair in zip(data.customs, data.ccpit, strict=False) for c in pair]
    numbers = iter(data.good)
    rows: list[list[object]] = []
    expected: list[Expected] = []
    separators = [";", "；", ",", "，", " ", "\n"]
    for i in range(valid):
        cert = certs[i]
        excel_row = len(rows) + 2
        if i % 5 == 4:
            rows.append([cert["authority"], cert["certNo"], "否", "", "", "未出口"])
            expected.append(Expected(excel_row, "成功", cert["authority"], cert["certNo"], "否", [], "海关接收成功"))
            continue
        nos = [next(numbers) for _ in range(1 + i % 3)]
        text = separators[i % len(separators)].join(nos)
        exported = "" if i % 7 == 3 else "是"
        rows.append([cert["authority"], cert["certNo"], exported, text, "", f"有效{i}"])
        expected.append(Expected(excel_row, "成功", cert["authority"], cert["certNo"], "是", nos, "海关接收成功"))
    rows.append(["海关", "A269999999999999", "是", next(numbers), "", "门户中没有此证书"])
    expected.append(Expected(len(rows) + 1, "失败"))
    spare = certs[valid:]
    n = next(numbers)
    invalid_rows: list[list[object]] = [
        ["海关", spare[0]["certNo"], "是", n[:17], "", "17位"],
        ["海关", spare[1]["certNo"], "是", n + "1", "", "19位"],
        ["海关", spare[2]["certNo"], "是", n[:10] + "AB" + n[12:], "", "含字母"],
        ["海关", spare[3]["certNo"], "是", "".join(chr(ord(c) + 0xFEE0) for c in n), "", "全角数字"],
        ["海关", spare[4]["certNo"], "是", n[:8] + "1" + n[9:], "", "进口报关单"],
        ["海关", spare[5]["certNo"], "是", n[:4] + "2099" + n[8:], "", "年份在将来"],
        ["海关", spare[6]["certNo"], "是", n[:4] + "2015" + n[8:], "", "年份太早"],
        ["海关", spare[7]["certNo"], "是", float(n), "", "Excel数字"],
        ["海关", spare[8]["certNo"], "是", "", "", "是但无号"],
        ["海关", spare[9]["certNo"], "否", n, "", "否但有号"],
        ["商务部", spare[10]["certNo"], "是", n, "", "未知机构"],
        ["海关", "", "是", n, "", "缺证明号"],
        ["海关", spare[11]["certNo"], "是", n, "", "同证不同号1"],
        ["海关", spare[11]["certNo"], "是", next(numbers), "", "同证不同号2"],
    ]
    for values in invalid_rows:
        expected.append(Expected(len(rows) + 2, "无效"))
        rows.append(values)
    save_rows(path, rows)
    return Sample(path, expected)


def plain_sample(url: str, path: Path, count: int) -> Sample:
    """`count` valid 是 rows with one number each (for crash and chaos runs)."""
    data = PortalData(url)
    certs = (data.customs + data.ccpit)[:count]
    assert len(certs) == count, "the mock portal has too few certificates for this sample"
    rows: list[list[object]] = []
    expected: list[Expected] = []
    for i, (cert, number) in enumerate(zip(certs, data.good, strict=False)):
        rows.append([cert["authority"], cert["certNo"], "是", number, "", f"第{i}"])
        expected.append(Expected(i + 2, "成功", cert["authority"], cert["certNo"], "是", [number], "海关接收成功"))
    save_rows(path, rows)
    return Sample(path, expected)


def sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    """The rows of sheet `name` as dicts keyed by its header."""
    values = list(load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]
