"""Receiving an uploaded workbook: bounded in size while it streams in, checked to be a zip (.xlsx) by
its first bytes; the rest of the check (unpacked size, every row) is the service's `check_upload`."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import unquote

from robot.console.downloads import plain_name

MIB = 2**20
ZIP_MAGIC = b"PK\x03\x04"
MAX_NAME_BYTES = 150
"""Longest upload file name in UTF-8 bytes: the robot's companions (-结果-时间.xlsx, -证据, -时间-2 in done/)
must still fit the 255-byte name limit of the file system."""
WINDOWS_FORBIDDEN = set('<>:"|?*')
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
DRAIN_FACTOR = 4
"""An oversized body is read and thrown away up to this many times the limit (so the client sees the
answer), then the connection is dropped."""


class Refused(Exception):
    """The upload is refused; the message (Chinese) says why, `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 415) -> None:
        super().__init__(message)
        self.status = status


def upload_name(header: str | None) -> str:
    name = unquote(header or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise Refused("缺少文件名")
    if not name.lower().endswith(".xlsx"):
        raise Refused(f"{name}：不是 .xlsx 工作簿。请在 Excel 中另存为 .xlsx 后再上传")
    name = unicodedata.normalize("NFC", name)
    odd = any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or c in WINDOWS_FORBIDDEN for c in name)
    device = name.split(".", 1)[0].strip().upper() in WINDOWS_DEVICES
    if odd or device or not plain_name(name):
        raise Refused(f"{name!r}：文件名不可用（含特殊字符或为系统保留名），请改名后再上传")
    if len(name.encode()) > MAX_NAME_BYTES:
        raise Refused(f"{name}：文件名太长，请改短（不超过 50 个汉字）后再上传")
    return name


async def receive(stream: AsyncIterator[bytes], length: str | None, folder: Path, limit: int) -> Path:
    """Writes the body to a new file in `folder`; Refused when it exceeds `limit` bytes or is not a zip."""
    too_big = f"文件超过 {limit / MIB:g} MB，未接收（控制台上传上限，设置 console_upload_max_mb）"
    if length and length.isdigit() and int(length) > limit:
        await _drain(stream, limit * DRAIN_FACTOR)
        raise Refused(too_big, 413)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".recv-{secrets.token_hex(8)}"
    size = 0
    try:
        with path.open("wb") as fh:
            async for chunk in stream:
                size += len(chunk)
                if size > limit:
                    raise Refused(too_big, 413)
                fh.write(chunk)
        with path.open("rb") as fh:
            if fh.read(4) != ZIP_MAGIC:
                raise Refused("不是 .xlsx 工作簿（文件内容不是 Excel 2007 及以上的格式），未接收")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


async def _drain(stream: AsyncIterator[bytes], cap: int) -> None:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > cap:
            return
