"""The `--rename-menu OLD=NEW` knob: left-menu entries shown under another name on both front ends."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import HTMLResponse


def shown(name: str, renames: Mapping[str, str]) -> str:
    """The visible text of the menu entry `name`."""
    return renames.get(name, name)


def rename_links(response: HTMLResponse, renames: Mapping[str, str]) -> HTMLResponse:
    """Replaces the text of links reading exactly OLD (`>OLD</a>`) in a rendered page by NEW."""
    if not renames:
        return response
    body = bytes(response.body)
    for old, new in renames.items():
        body = body.replace(f">{old}</a>".encode(), f">{new}</a>".encode())
    fresh = HTMLResponse(body, status_code=response.status_code)
    for key, value in response.headers.items():
        if key.lower() not in ("content-length", "content-type"):
            fresh.headers[key] = value
    return fresh
