"""The mock's fault drills: requests are told apart by the browser's own headers (whatever front end
serves the pages), and armed faults are used up one by one."""

from __future__ import annotations

import pytest

from mock_portal.faults import Faults, request_kind


def scope(path: str, method: str = "GET", **headers: str) -> dict:
    return {
        "type": "http",
        "path": path,
        "method": method,
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }


def test_request_kinds() -> None:
    assert request_kind(scope("/cas/login", sec_fetch_dest="document")) == "login"
    assert request_kind(scope("/any/new/front/login", "POST")) == "login"
    assert request_kind(scope("/origin/index", sec_fetch_dest="document")) == "page"
    assert request_kind(scope("/origin/supplement/search", sec_fetch_dest="iframe")) == "page"
    assert request_kind(scope("/origin/api/supplement/certs", "POST", sec_fetch_dest="empty")) == "xhr"
    assert request_kind(scope("/somewhere", accept="text/html,application/xhtml+xml")) == "page"
    assert request_kind(scope("/api/x", "POST")) == "xhr"
    assert request_kind(scope("/img/logo.png", sec_fetch_dest="image")) == "other"


def test_armed_faults_are_used_up() -> None:
    faults = Faults()
    faults.arm("xhr", "hang", 2)
    faults.arm("page", "error", 1)
    assert faults.take("other") is None
    assert faults.take("xhr") == "hang"
    assert faults.take("page") == "error"
    assert faults.take("page") is None
    assert faults.take("xhr") == "hang"
    assert faults.take("xhr") is None
    faults.arm("any", "hang", 1)
    assert faults.take("login") == "hang"
    assert faults.state()["armed"] == []


def test_bad_faults_are_refused() -> None:
    with pytest.raises(ValueError):
        Faults().arm("websocket", "hang", 1)
    with pytest.raises(ValueError):
        Faults().arm("xhr", "explode", 1)
