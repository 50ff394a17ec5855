"""The size guard of input workbooks: a .xlsx is a zip, and a small one may unpack to gigabytes (a zip
bomb). Before any reader parses a workbook, `check_unpacked_size` unpacks every member as a stream, in
small blocks that are thrown away, and stops as soon as the total passes the bound: memory stays a few
blocks and the time is that of unpacking the bound at most, whatever the sizes the zip claims.

A 10,000-row input unpacks to about 5 MB; the bound (64 MiB) leaves plenty of room.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from robot.core.errors import InputFileError

MAX_UNPACKED_BYTES = 64 * 2**20
"""Largest total unpacked size of an input workbook's parts."""
BLOCK = 1 << 16
MIB = 2**20


def check_unpacked_size(path: Path, limit: int = MAX_UNPACKED_BYTES) -> None:
    """Raises InputFileError (Chinese) when `path` is not a zip, or its parts unpack to more than `limit`."""
    path = Path(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputFileError(f"无法打开输入文件 {path.name}：不是 .xlsx 工作簿（需要 .xlsx 格式，且未加密）") from exc
    with book:
        members = book.infolist()
        claimed = sum(m.file_size for m in members)
        if claimed > limit:
            raise InputFileError(_too_big(path, claimed, limit))
        total = 0
        for member in members:
            try:
                with book.open(member) as part:
                    while block := part.read(BLOCK):
                        total += len(block)
                        if total > limit:
                            raise InputFileError(_too_big(path, total, limit))
            except RuntimeError as exc:  # zipfile: a member encrypted with a password
                raise InputFileError(f"无法打开输入文件 {path.name}：文件已加密（{member.filename}），"
                                     f"请保存为未加密的 .xlsx") from exc
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
                raise InputFileError(f"无法打开输入文件 {path.name}：文件已损坏（{member.filename}）") from exc


def _too_big(path: Path, size: int, limit: int) -> str:
    return (f"输入文件 {path.name} 解压后超过 {limit // MIB} MB（至少 {size // MIB} MB），未读取："
            f"正常的补录清单解压后只有几 MB。请确认文件来源，或用 corobot template 生成的模板重新填写")
