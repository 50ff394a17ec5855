"""The doctor's bundle: HTML and traces lose password values, cookies and session tokens."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from robot.session.bundle import HIDDEN, scrub_html, scrub_trace


def test_html_loses_the_password_value_and_the_tokens() -> None:
    html = (
        '<meta name="csrf-token" content="tok123"><input type="password" name="pw" value="Corobot#2026">'
        '<input type="hidden" name="csrf_token" value="tok123"><input name="username" value="exporter1">'
    )
    clean = scrub_html(html)
    assert "tok123" not in clean and "Corobot#2026" not in clean and 'value="exporter1"' in clean


def test_trace_loses_cookies_tokens_and_request_bodies(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    event = {
        "type": "resource-snapshot",
        "snapshot": {
            "request": {
                "headers": [{"name": "Cookie", "value": "CASID=abc"}, {"name": "Accept", "value": "*/*"}],
                "postData": {"text": "password=Corobot%232026"},
            },
            "response": {"headers": [{"name": "Set-Cookie", "value": "CASID=abc; HttpOnly"}]},
        },
    }
    snapshot = {"type": "frame-snapshot", "html": ["META", {"name": "csrf-token", "content": "tok123"}]}
    with zipfile.ZipFile(trace, "w") as zf:
        zf.writestr("trace.network", json.dumps(event))
        zf.writestr("trace.trace", json.dumps(snapshot))
    scrub_trace(trace)
    with zipfile.ZipFile(trace) as zf:
        text = zf.read("trace.network").decode() + zf.read("trace.trace").decode()
    assert "CASID" not in text and "Corobot" not in text and "tok123" not in text
    assert HIDDEN in text and "*/*" in text


def test_a_secret_value_is_removed_from_every_entry_of_the_trace(tmp_path: Path) -> None:
    trace = tmp_path / "row3.trace.zip"
    network = {
        "type": "resource-snapshot",
        "snapshot": {
            "request": {
                "url": "https://portal/api",
                "headers": [
                    {"name": "Cookie", "value": "CASID=sid-7f3a9c2e; lang=zh"},
                    {"name": "Authorization", "value": "Bearer tok-bearer-42"},
                ],
                "cookies": [{"name": "JSESSIONID", "value": "js-0123456789"}],
            },
            "response": {"headers": [{"name": "set-cookie", "value": "CASID=sid-new-8b1d; Path=/; HttpOnly"}]},
        },
    }
    action = {"type": "before", "params": {"url": "https://portal/x?sid=sid-7f3a9c2e", "value": "sid-new-8b1d"}}
    with zipfile.ZipFile(trace, "w") as zf:
        zf.writestr("trace.network", json.dumps(network))
        zf.writestr("trace.trace", json.dumps(action))
        zf.writestr("resources/0a1b.html", "<script>var s='sid-7f3a9c2e', t='js-0123456789';</script>")
        zf.writestr("resources/0a1c.json", '{"token": "tok-bearer-42", "echo": "sid-new-8b1d%3D"}')
    scrub_trace(trace, ["live-cookie-value-1"])
    with zipfile.ZipFile(trace) as zf:
        text = "\n".join(zf.read(n).decode() for n in zf.namelist())
    for secret in ("sid-7f3a9c2e", "sid-new-8b1d", "tok-bearer-42", "js-0123456789"):
        assert secret not in text, secret
    assert "lang=zh" not in text and "https://portal/api" in text  # the whole Cookie header is hidden


def test_html_loses_the_values_it_is_told(tmp_path: Path) -> None:
    assert scrub_html("<p>CASID=abcdef123</p>", ["abcdef123"]) == f"<p>CASID={HIDDEN}</p>"
    assert scrub_html("<p>ab</p>", ["ab"]) == "<p>ab</p>"  # too short to be a secret
