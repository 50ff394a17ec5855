"""The doctor's bundle: HTML and traces lose password values, cookies and session tokens."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from robot.session.bundle import HIDDEN, scrub_html, scrub_trace


def test_html_loses_the_password_value_and_the_tokens() -> None:
    html = ('<meta name="csrf-token" content="tok123"><input type="password" name="pw" value="Corobot#2026">'
            '<input type="hidden" name="csrf_token" value="tok123"><input name="username" value="exporter1">')
    clean = scrub_html(html)
    assert "tok123" not in clean and "Corobot#2026" not in clean and 'value="exporter1"' in clean


def test_trace_loses_cookies_tokens_and_request_bodies(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    event = {"type": "resource-snapshot", "snapshot": {"request": {
        "headers": [{"name": "Cookie", "value": "CASID=abc"}, {"name": "Accept", "value": "*/*"}],
        "postData": {"text": "password=Corobot%232026"}}, "response": {
        "headers": [{"name": "Set-Cookie", "value": "CASID=abc; HttpOnly"}]}}}
    snapshot = {"type": "frame-snapshot", "html": ["META", {"name": "csrf-token", "content": "tok123"}]}
    with zipfile.ZipFile(trace, "w") as zf:
        zf.writestr("trace.network", json.dumps(event))
        zf.writestr("trace.trace", json.dumps(snapshot))
    scrub_trace(trace)
    with zipfile.ZipFile(trace) as zf:
        text = zf.read("trace.network").decode() + zf.read("trace.trace").decode()
    assert "CASID" not in text and "Corobot" not in text and "tok123" not in text
    assert HIDDEN in text and "*/*" in text
