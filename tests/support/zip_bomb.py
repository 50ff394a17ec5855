"""A real .xlsx that unpacks to far more than it weighs (a zip bomb), for the size-guard tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

MIB = 2**20


def zip_bomb(path: Path, unpacked_mib: int = 200) -> Path:
    """A workbook whose first sheet's XML is padded with `unpacked_mib` MiB of spaces (about 0.1% packed)."""
    plain = path.with_name(path.stem + "-plain.xlsx")
    wb = Workbook()
    wb.active.append(["签证机构", "证明号", "是否实际出口", "报关单号"])
    wb.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item.filename, data)
                continue
            with bomb.open(item.filename, "w", force_zip64=True) as part:
                part.write(data)
                block = b" " * MIB
                for _ in range(unpacked_mib):
                    part.write(block)
    plain.unlink()
    return path
