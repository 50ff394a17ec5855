"""Renders workbook sheets to PNG (an Excel-like HTML grid shot in Chromium) for the README.

`python docs/tools/workbook_shots.py` writes docs/img/template.png (from `corobot template`),
and, when a demo has run (`make demo`), docs/img/report-*.png from the newest demo report.
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from robot.books.template import write_template  # noqa: E402
from robot.session.browser_path import LAUNCH_ARGS, find_browser  # noqa: E402

CSS = """
body { font: 13px 'Noto Sans CJK SC', sans-serif; margin: 0; background: #fff; }
#sheet { display: inline-block; }
.tabs { background: #f3f3f3; padding: 4px 8px; border-top: 1px solid #ccc; }
.tabs span { padding: 3px 12px; margin-right: 4px; border: 1px solid #ccc; background: #e8e8e8; }
.tabs span.on { background: #fff; color: #217346; font-weight: bold; border-top: 2px solid #217346; }
table { border-collapse: collapse; table-layout: fixed; }
td, th { border: 1px solid #d4d4d4; padding: 2px 4px; height: 20px; overflow: hidden; white-space: nowrap;
         text-overflow: ellipsis; }
th { background: #efefef; font-weight: normal; color: #444; }
td.n { background: #efefef; color: #444; text-align: center; }
"""


def sheet_html(path: Path, sheet: str, rows: int, cols: int | list[int]) -> str:
    """An HTML grid of the first `rows` rows and the given columns (a count, or 1-based numbers)."""
    book = load_workbook(path)
    ws = book[sheet]
    shown = list(range(1, cols + 1)) if isinstance(cols, int) else cols
    widths = [min(46, (ws.column_dimensions[get_column_letter(c)].width or 10)) * 7 for c in shown]
    head = "".join(
        f'<th style="width:{w:.0f}px">{get_column_letter(c)}</th>' for c, w in zip(shown, widths, strict=True)
    )
    body = []
    for r in range(1, rows + 1):
        cells = []
        for c in shown:
            cell = ws.cell(r, c)
            style = ""
            rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
            if isinstance(rgb, str) and len(rgb) >= 6:
                style += f"background:#{rgb[-6:]};"
            if cell.font and cell.font.bold:
                style += "font-weight:bold;"
            value = "" if cell.value is None else str(cell.value).replace("\n", " ⏎ ")
            cells.append(f'<td style="{style}">{html.escape(value)}</td>')
        body.append(f'<tr><td class="n">{r}</td>{"".join(cells)}</tr>')
    tabs = "".join(f'<span class="{"on" if n == sheet else ""}">{html.escape(n)}</span>' for n in book.sheetnames)
    return (
        f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body><div id='sheet'>"
        f"<table style='width:{sum(widths) + 32:.0f}px'><tr><th style='width:32px'></th>{head}</tr>"
        f"{''.join(body)}</table>"
        f"<div class='tabs'>{tabs}</div></div></body></html>"
    )


def shoot(pages: list[tuple[str, Path]]) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 2400, "height": 300}, device_scale_factor=1)
        for markup, out in pages:
            page.set_content(markup)
            page.locator("#sheet").screenshot(path=str(out))
            print(f"wrote {out}")
        browser.close()


def main() -> None:
    img = ROOT / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    pages: list[tuple[str, Path]] = []
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "模板.xlsx"
        write_template(template)
        pages.append((sheet_html(template, "补录清单", 6, 7), img / "template.png"))
        pages.append((sheet_html(template, "填写说明", 12, 5), img / "template-help.png"))
        reports = sorted((ROOT / "data" / "out" / "demo").glob("*-结果-*.xlsx"))
        if reports:
            pages.append((sheet_html(reports[-1], "明细", 15, [2, 4, 6, 7, 8, 9]), img / "report-detail.png"))
            pages.append((sheet_html(reports[-1], "汇总", 15, 2), img / "report-summary.png"))
        shoot(pages)


if __name__ == "__main__":
    main()
