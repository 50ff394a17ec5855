"""The package guard of input workbooks: before any reader parses a file, `check_package` makes sure it is
a plain .xlsx (a zip of XML parts) that unpacks to at most a bound, whatever its headers declare.

- Not a zip: named for what it is — an encrypted workbook (an OLE container holding `EncryptionInfo`), an
  old .xls (another OLE container), a CSV or text file renamed .xlsx — or simply "not a .xlsx".
- Every part is inflated from its own bytes with zlib, in small blocks that are thrown away: the count is
  of the bytes actually inflated, never the sizes the central directory or local header claim, and it
  stops as soon as the total passes the bound (memory a few blocks, time that of inflating the bound).
  A part whose real size differs from the declared one is refused (a lying header is a crafted file:
  the readers trust the declared size).
- A part holding a DTD (`<!DOCTYPE`, `<!ENTITY`: XML entity bombs, external entities) is refused; Excel,
  WPS and LibreOffice never write one. The sheet reader (`robot.books.xlsx_stream`) refuses them too.
- Encrypted parts, unknown compression methods and truncated files are refused as such.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from robot.core.errors import InputFileError

MAX_UNPACKED_BYTES = 64 * 2**20
"""Default bound of the total unpacked size of an input workbook's parts (setting max_unpacked_mb)."""
BLOCK = 1 << 16
MIB = 2**20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
LOCAL_SIGNATURE = b"PK\x03\x04"
DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
SAVE_AS = "请在 Excel 中打开后“另存为”Excel 工作簿（*.xlsx）再试"


def check_package(path: Path, limit: int = MAX_UNPACKED_BYTES) -> None:
    """Raises InputFileError (Chinese) unless `path` is a zip whose parts inflate to at most `limit` bytes
    in all, each to exactly its declared size, none holding a DTD."""
    path = Path(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:  # e.g. zip version 23
        raise InputFileError(_not_a_zip(path)) from exc
    with book, path.open("rb") as raw:
        total = 0
        for member in book.infolist():
            if member.is_dir():
                continue
            if member.flag_bits & 0x1:
                raise InputFileError(
                    f"无法打开输入文件 {path.name}：文件已加密（{member.filename}），请保存为未加密的 .xlsx"
                )
            try:
                total = _inflate(raw, member, path, total, limit)
            except (OSError, ValueError, EOFError, struct.error) as exc:  # e.g. a header offset before the file
                raise InputFileError(
                    f"无法打开输入文件 {path.name}：文件已损坏或不完整（{member.filename}）。{SAVE_AS}"
                ) from exc


check_unpacked_size = check_package
"""The former name (tests and callers of the size guard)."""


def _inflate(raw: BinaryIO, member: zipfile.ZipInfo, path: Path, total: int, limit: int) -> int:  # noqa: C901
    """Inflates one part from its local header on; returns the new running total."""
    damaged = f"无法打开输入文件 {path.name}：文件已损坏或不完整（{member.filename}）。{SAVE_AS}"
    raw.seek(member.header_offset)
    header = raw.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or header[:4] != LOCAL_SIGNATURE:
        raise InputFileError(damaged)
    name_len, extra_len = LOCAL_HEADER.unpack(header)[-2:]
    raw.seek(name_len + extra_len, 1)
    if member.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise InputFileError(f"无法打开输入文件 {path.name}：不支持的压缩方式（{member.filename}）。{SAVE_AS}")
    size, tail = 0, b""
    stored_left = member.compress_size
    xml = member.filename.lower().endswith((".xml", ".rels", ".vml"))
    while True:
        if inflater is None:
            if stored_left <= 0:
                break
            block = raw.read(min(BLOCK, stored_left))
            if not block:
                raise InputFileError(damaged)
            stored_left -= len(block)
        else:
            data = inflater.unconsumed_tail or raw.read(BLOCK)
            if not data:
                raise InputFileError(damaged)
            try:
                block = inflater.decompress(data, BLOCK)
            except zlib.error as exc:
                raise InputFileError(damaged) from exc
        size += len(block)
        if total + size > limit:
            raise InputFileError(_too_big(path, total + size, limit))
        if xml:
            window = tail + block
            if any(mark in window for mark in DTD_MARKS):
                raise InputFileError(
                    f"输入文件 {path.name} 含有 XML 实体声明（DTD，{member.filename}），未读取："
                    f"Excel 保存的工作簿不会有，可能是恶意文件。{SAVE_AS}"
                )
            tail = window[-16:]
        if inflater is not None and inflater.eof:
            break
    if size != member.file_size:
        raise InputFileError(
            f"输入文件 {path.name} 的压缩包头声明的大小与实际解压的大小不符"
            f"（{member.filename}：声明 {member.file_size} 字节，实际 {size} 字节），未读取："
            f"可能是被篡改的文件。{SAVE_AS}"
        )
    return total + size


def _not_a_zip(path: Path) -> str:
    """What a file that is not a zip is, as far as its first bytes tell."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        head = b""
    if head.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in head or b"EncryptedPackage" in head:
            return f"无法打开输入文件 {path.name}：文件已加密（设置了打开密码）。请在 Excel 中取消密码后另存为 .xlsx"
        return f"无法打开输入文件 {path.name}：这是旧版 .xls（Excel 97-2003）文件，不是 .xlsx。{SAVE_AS}"
    if head and _looks_like_text(head[:4096]):
        return (
            f"无法打开输入文件 {path.name}：这是文本文件（如 CSV 或网页），只是扩展名为 .xlsx，"
            f"不是 .xlsx 工作簿。{SAVE_AS}"
        )
    return f"无法打开输入文件 {path.name}：不是 .xlsx 工作簿（需要 .xlsx 格式，且未加密）"


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
        return printable >= 0.95 * len(text)
    return False


def _too_big(path: Path, size: int, limit: int) -> str:
    return (
        f"输入文件 {path.name} 解压后超过 {limit // MIB} MB（max_unpacked_mb，至少 {size // MIB} MB），"
        f"未读取：正常的补录清单解压后只有几 MB。请确认文件来源，或用 corobot template 生成的模板重新填写"
    )
