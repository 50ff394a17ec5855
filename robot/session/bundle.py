"""Evidence and survey bundles fit to hand to anyone: HTML and Playwright traces with secrets removed
(password field values, cookies, `Set-Cookie`, `Authorization`, the CSRF token, request bodies);
screenshots are taken with those fields masked.

A trace is scrubbed after it is written (`scrub_trace`): its network log's secret headers and cookie
lists become `******`, and every secret value found there (a `Cookie:` or `Set-Cookie:` value, a bearer
token) or handed in by the caller (the context's live cookies) is removed from every entry of the zip
— network log, action log, DOM snapshots and the stored response bodies alike — so nothing in a kept
trace can be replayed as a portal session.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

HIDDEN = "******"
SECRET_HEADERS = {"cookie", "set-cookie", "x-csrf-token", "authorization", "proxy-authorization"}
SECRET_SELECTORS = ("input[type=password]",)
MIN_SECRET = 6
"""Shorter values are not searched for in the text (a cookie `lang=zh` is no secret, and replacing
every `zh` would ruin the trace)."""

_PASSWORD_VALUE = re.compile(r'(<input\b[^>]*type=["\']?password["\']?[^>]*\bvalue=)(["\']).*?\2', re.I)
_CSRF = re.compile(r'(<meta\b[^>]*name=["\']csrf-token["\'][^>]*content=)(["\']).*?\2', re.I)
_TOKEN_FIELD = re.compile(r'(<input\b[^>]*name=["\']csrf_token["\'][^>]*value=)(["\']).*?\2', re.I)


def scrub_html(html: str, values: Iterable[str] = ()) -> str:
    """The page's HTML without password values, session tokens and any of `values`."""
    for pattern in (_PASSWORD_VALUE, _CSRF, _TOKEN_FIELD):
        html = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}{m.group(2)}", html)
    return _without(html, values)


def _without(text: str, values: Iterable[str]) -> str:
    for value in _variants(values):
        text = text.replace(value, HIDDEN)
    return text


def _variants(values: Iterable[str]) -> list[str]:
    """Each secret as written and URL-encoded, longest first (a value inside another goes after it)."""
    plain = {text for text in (str(v).strip() for v in values) if len(text) >= MIN_SECRET}
    found = plain | {quote(text, safe="") for text in plain}
    return sorted(found, key=len, reverse=True)


def header_secrets(name: str, value: str) -> list[str]:
    """The secret values inside one header: each cookie's value, a token after its scheme."""
    name = name.lower()
    if name == "cookie":
        return [part.split("=", 1)[1] for part in value.split(";") if "=" in part]
    if name == "set-cookie":
        return [line.split(";", 1)[0].split("=", 1)[1] for line in value.splitlines() if "=" in line]
    if name in SECRET_HEADERS:
        return [value, *value.split()[1:]]
    return []


def _collect(value: Any, into: set[str]) -> None:
    """Every secret value in a trace event: headers by name, cookie lists ({name, value})."""
    if isinstance(value, dict):
        name = str(value.get("name", ""))
        if isinstance(value.get("value"), str) and name.lower() in SECRET_HEADERS:
            into.update(header_secrets(name, value["value"]))
        for key, item in value.items():
            if key.lower() == "cookies" and isinstance(item, list):
                into.update(str(c.get("value", "")) for c in item if isinstance(c, dict))
            else:
                _collect(item, into)
    elif isinstance(value, list):
        for item in value:
            _collect(item, into)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        name = str(value.get("name", "")).lower()
        if name in SECRET_HEADERS and "value" in value:
            return {**value, "value": HIDDEN}
        if name == "csrf-token" and "content" in value:  # a DOM snapshot's <meta name="csrf-token">
            return {**value, "content": HIDDEN}
        if str(value.get("type", "")).lower() == "password" or name == "csrf_token":  # an <input>'s value
            return {k: (HIDDEN if "value" in k.lower() else v) for k, v in value.items()}
        return {
            k: (HIDDEN if k.lower() in ("cookies", "cookie", "postdata", "storagestate") and v else _scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _events(data: bytes) -> list[Any]:
    events = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            events.append(line)
    return events


def trace_secrets(path: Path) -> set[str]:
    """The secret values a trace's logs hold (cookie values, tokens), before scrubbing."""
    found: set[str] = set()
    with zipfile.ZipFile(path) as src:
        for item in src.infolist():
            if item.filename.endswith((".trace", ".network")):
                _collect(_events(src.read(item)), found)
    return found


def scrub_trace(path: Path, values: Iterable[str] = ()) -> None:
    """Rewrites a Playwright trace zip without cookies, tokens and request bodies (`******`), and
    without any secret value it holds or the caller names (`values`), in whatever entry it appears."""
    secrets = _variants({*trace_secrets(path), *values})
    encoded = [(s.encode(), HIDDEN.encode()) for s in secrets]
    scrubbed = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(scrubbed, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith((".trace", ".network")):
                lines = [e if isinstance(e, str) else json.dumps(_scrub(e), ensure_ascii=False) for e in _events(data)]
                data = "\n".join(lines).encode("utf-8")
            elif item.filename.endswith((".html", ".htm")):
                data = scrub_html(data.decode("utf-8", "replace")).encode("utf-8")
            for secret, hidden in encoded:  # any entry: a response body, a stack, a snapshot
                data = data.replace(secret, hidden)
            dst.writestr(item, data)
    scrubbed.replace(path)
