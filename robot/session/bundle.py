"""A survey bundle fit to hand to a maintainer: HTML and Playwright traces with secrets removed
(password field values, cookies, the CSRF token); screenshots are taken with those fields masked."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

HIDDEN = "******"
SECRET_HEADERS = {"cookie", "set-cookie", "x-csrf-token", "authorization"}
SECRET_SELECTORS = ("input[type=password]",)

_PASSWORD_VALUE = re.compile(r'(<input\b[^>]*type=["\']?password["\']?[^>]*\bvalue=)(["\']).*?\2', re.I)
_CSRF = re.compile(r'(<meta\b[^>]*name=["\']csrf-token["\'][^>]*content=)(["\']).*?\2', re.I)
_TOKEN_FIELD = re.compile(r'(<input\b[^>]*name=["\']csrf_token["\'][^>]*value=)(["\']).*?\2', re.I)


def scrub_html(html: str) -> str:
    """The page's HTML without password values and session tokens."""
    for pattern in (_PASSWORD_VALUE, _CSRF, _TOKEN_FIELD):
        html = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}{m.group(2)}", html)
    return html


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        name = str(value.get("name", "")).lower()
        if name in SECRET_HEADERS and "value" in value:
            return {**value, "value": HIDDEN}
        if name == "csrf-token" and "content" in value:  # a DOM snapshot's <meta name="csrf-token">
            return {**value, "content": HIDDEN}
        if str(value.get("type", "")).lower() == "password" or name == "csrf_token":  # an <input>'s value
            return {k: (HIDDEN if "value" in k.lower() else v) for k, v in value.items()}
        return {k: (HIDDEN if k.lower() in ("cookies", "cookie", "postdata") and v else _scrub(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def scrub_trace(path: Path) -> None:
    """Rewrites a Playwright trace zip with cookies, tokens and request bodies replaced by ******."""
    scrubbed = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(scrubbed, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith((".trace", ".network")):
                lines = []
                for line in data.decode("utf-8").splitlines():
                    try:
                        lines.append(json.dumps(_scrub(json.loads(line)), ensure_ascii=False))
                    except json.JSONDecodeError:
                        lines.append(line)
                data = "\n".join(lines).encode("utf-8")
            elif item.filename.endswith((".html", ".htm")):
                data = scrub_html(data.decode("utf-8", "replace")).encode("utf-8")
            dst.writestr(item, data)
    scrubbed.replace(path)
