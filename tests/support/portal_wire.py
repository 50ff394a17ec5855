"""The mock portal's wire, for the few portal tests that must look at it (docs/portal-contract.md):
each front end's documented XHR paths and bodies, chosen by the front end the running portal serves."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Frame, FrameLocator

from mock_portal.harness import Portal

CERT_LIST = {"layui": "/swOrigin/api/supplement/certList", "accessible": "/origin/api/supplement/certs"}

# fetch() as the search page's own script would post a 补录 (否, no numbers) for `certId`.
_SUBMIT = {
    "layui": """async ([certId]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const r = await fetch('/swOrigin/api/supplement/save', {method: 'POST',
    headers: {'X-Requested-With': 'XMLHttpRequest'},
    body: new URLSearchParams({certId, exported: '0', declarationNos: '', csrf_token: token})});
  return {status: r.status, body: await r.json()};
}""",
    "accessible": """async ([certId]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const r = await fetch('/origin/api/supplement/submit', {method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
    body: JSON.stringify({certId, exported: '0', declarationNos: ''})});
  return {status: r.status, body: await r.json()};
}""",
}


def cert_list_path(portal: Portal) -> str:
    """The XHR path of the 报关单号补录 search's result list."""
    return CERT_LIST[portal.frontend]


def submit_directly(portal: Portal, page: FrameLocator, cert_id: int) -> dict[str, Any]:
    """Posts a 补录 for `cert_id` from inside the page `page` (its session and CSRF token), bypassing the
    UI; returns `{status, body}` of the answer."""
    handle = page.owner.element_handle()
    frame: Frame | None = handle.content_frame()
    assert frame is not None
    return frame.evaluate(_SUBMIT[portal.frontend], [cert_id])
