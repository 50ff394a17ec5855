"""The in-process app (create_app) over HTTP, accessible front end: login, CSRF, tenant checks, expiry, test API."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mock_portal.app import create_app
from mock_portal.auth import COOKIE
from mock_portal.settings import Settings, from_env, parse_args

PASSWORD = "Corobot#2026"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    db = tmp_path_factory.mktemp("portal") / "portal.sqlite3"
    return create_app(Settings(db=str(db), certs=60, test_api=True, receipt_delay=0.0, frontend="accessible"))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as http:
        yield http
    app.state.portal.settings.session_lifetime = 0.0


def _login_form(client: TestClient) -> tuple[str, str]:
    page = client.get("/cas/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    answer = client.app.state.portal.sessions.get(client.cookies[COOKIE]).captcha  # type: ignore[attr-defined]
    return csrf[1], answer


def login(client: TestClient, user: str = "exporter1", password: str = PASSWORD) -> str:
    """Logs in; returns the page CSRF token for XHR."""
    csrf, answer = _login_form(client)
    response = client.post(
        "/cas/login", data={"username": user, "password": password, "captcha": answer, "csrf_token": csrf}
    )
    assert response.status_code == 302 and response.headers["location"] == "/portal"
    page = client.get("/origin/supplement/search?authority=customs")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert token
    return token[1]


def test_wrong_captcha_and_wrong_password_are_told_apart(client: TestClient) -> None:
    csrf, answer = _login_form(client)
    wrong = client.post(
        "/cas/login", data={"username": "exporter1", "password": PASSWORD, "captcha": "zzzz", "csrf_token": csrf}
    )
    assert "验证码错误，请重新输入" in wrong.text
    csrf, answer = _login_form(client)
    bad = client.post(
        "/cas/login", data={"username": "exporter1", "password": "nope", "captcha": answer, "csrf_token": csrf}
    )
    assert "用户名或密码错误" in bad.text


def test_captcha_is_single_use(client: TestClient) -> None:
    csrf, answer = _login_form(client)
    client.post("/cas/login", data={"username": "x", "password": "y", "captcha": answer, "csrf_token": csrf})
    again = client.post(
        "/cas/login", data={"username": "exporter1", "password": PASSWORD, "captcha": answer, "csrf_token": csrf}
    )
    assert again.status_code == 200 and "验证码错误，请重新输入" in again.text


def test_captcha_image_is_png_and_refresh_changes_answer(client: TestClient) -> None:
    _login_form(client)
    session = client.app.state.portal.sessions.get(client.cookies[COOKIE])  # type: ignore[attr-defined]
    answers = set()
    for _ in range(5):
        image = client.get("/cas/captcha?refresh=1")
        assert image.headers["content-type"] == "image/png" and image.content[:4] == b"\x89PNG"
        answers.add(session.captcha)
    assert len(answers) > 1


def test_login_form_without_csrf_is_forbidden(client: TestClient) -> None:
    _, answer = _login_form(client)
    response = client.post("/cas/login", data={"username": "exporter1", "password": PASSWORD, "captcha": answer})
    assert response.status_code == 403


def test_pages_need_login(client: TestClient) -> None:
    response = client.get("/origin/supplement/entry")
    assert response.status_code == 302 and response.headers["location"] == "/cas/login"


def test_xhr_without_csrf_header_is_forbidden(client: TestClient) -> None:
    login(client)
    response = client.post("/origin/api/supplement/certs", json={"authority": "customs"})
    assert response.status_code == 403


def test_cookie_is_httponly_and_lax(client: TestClient) -> None:
    header = client.get("/cas/login").headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header


def test_search_lists_only_own_approved_certificates(client: TestClient) -> None:
    token = login(client, "exporter2")
    answer = client.post(
        "/origin/api/supplement/certs", json={"authority": "ccpit", "size": 100}, headers={"X-CSRF-Token": token}
    ).json()
    own = {
        c["certNo"]
        for c in client.get("/__test__/certificates?enterprise=exporter2").json()
        if c["approved"] and c["authority"] == "贸促会"
    }
    assert answer["errCode"] == "100" and {r["certNo"] for r in answer["data"]["rows"]} == own


def test_submit_for_another_enterprise_is_refused(client: TestClient) -> None:
    token = login(client, "exporter2")
    foreign = next(c for c in client.get("/__test__/certificates?enterprise=exporter1").json() if c["approved"])
    response = client.post(
        "/origin/api/supplement/submit",
        headers={"X-CSRF-Token": token},
        json={"certId": foreign["id"], "exported": "0", "declarationNos": ""},
    )
    assert response.status_code == 404 and response.json()["errCode"] == "102"
    assert client.get(f"/__test__/submissions?certNo={foreign['certNo']}").json() == []


def test_record_detail_of_another_enterprise_is_404(client: TestClient) -> None:
    token = login(client, "exporter1")
    cert = next(c for c in client.get("/__test__/certificates?enterprise=exporter1").json() if c["approved"])
    created = client.post(
        "/origin/api/supplement/submit",
        headers={"X-CSRF-Token": token},
        json={"certId": cert["id"], "exported": "0", "declarationNos": ""},
    ).json()
    assert created["errCode"] == "100"
    client.get("/cas/logout")
    login(client, "exporter2")
    assert client.get(f"/origin/supplement/records/{created['data']['id']}").status_code == 404


def test_expired_session_redirects_pages_and_xhr(client: TestClient, app: FastAPI) -> None:
    token = login(client)
    app.state.portal.settings.session_lifetime = 0.05
    time.sleep(0.1)
    xhr = client.post("/origin/api/supplement/certs", json={"authority": "customs"}, headers={"X-CSRF-Token": token})
    assert xhr.status_code == 302 and xhr.headers["location"] == "/cas/login?expired=1"
    page = client.get("/portal")
    assert page.status_code == 302


def test_login_page_of_a_logged_in_user_leads_to_the_portal(client: TestClient) -> None:
    login(client)
    response = client.get("/cas/login")
    assert response.status_code == 302 and response.headers["location"] == "/portal"


def test_expired_login_page_says_so(client: TestClient) -> None:
    assert "登录已超时，请重新登录" in client.get("/cas/login?expired=1").text


def test_chaos_errors_spare_static_and_test_api(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "p.db"), certs=10, test_api=True, error_rate=1.0))
    with TestClient(app) as http:
        assert http.get("/cas/login").status_code in (500, 502)
        assert http.get("/static/js/layer.js").status_code == 200
        assert http.get("/__test__/chaos").json()["error_rate"] == 1.0


def test_reset_forgets_submissions(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "p.db"), certs=10, test_api=True))
    with TestClient(app) as http:
        before = http.get("/__test__/certificates").json()
        cert = next(c for c in before if c["approved"])
        app.state.portal.db.add_submission(cert["enterprise"], cert["id"], False, [])
        assert len(http.get("/__test__/submissions").json()) == 1
        http.post("/__test__/reset")
        assert http.get("/__test__/submissions").json() == []
        assert http.get("/__test__/certificates").json() == before


def test_test_api_is_404_without_the_flag(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "p.db"), certs=10))
    with TestClient(app) as http:
        assert http.get("/__test__/accounts").status_code == 404
        assert http.post("/__test__/reset").status_code == 404


def test_security_headers_are_sent(client: TestClient) -> None:
    headers = client.get("/cas/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_flags_override_environment() -> None:
    settings = parse_args(["--port", "8123", "--no-notice"], {"MOCK_PORT": "9000", "MOCK_ERROR_RATE": "0.2"})
    assert (settings.port, settings.notice, settings.error_rate) == (8123, False, 0.2)


def test_environment_sets_every_knob() -> None:
    settings = from_env(
        {
            "MOCK_TEST_API": "1",
            "MOCK_NOTICE": "0",
            "MOCK_RECEIPT_DELAY": "5",
            "MOCK_DIALOG_FAIL_RATE": "0.5",
            "MOCK_SESSION_LIFETIME": "30",
        }
    )
    assert settings.test_api and not settings.notice
    assert (settings.receipt_delay, settings.dialog_fail_rate, settings.session_lifetime) == (5.0, 0.5, 30.0)


def test_chaos_update_rejects_unknown_and_out_of_range() -> None:
    settings = Settings()
    with pytest.raises(ValueError):
        settings.update_chaos({"bogus": 1})
    with pytest.raises(ValueError):
        settings.update_chaos({"error_rate": 2})


def test_expire_after_submits_counts_from_when_it_is_set(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "p.db"), certs=30, test_api=True, frontend="accessible"))
    with TestClient(app, follow_redirects=False) as http:
        token = login(http)
        certs = [c for c in http.get("/__test__/certificates?enterprise=exporter1").json() if c["approved"]]

        def submit(cert: dict) -> int:
            return http.post(
                "/origin/api/supplement/submit",
                headers={"X-CSRF-Token": token},
                json={"certId": cert["id"], "exported": "0", "declarationNos": ""},
            ).status_code

        assert submit(certs[0]) == 200  # before the knob: not counted
        http.post("/__test__/chaos", json={"expire_after_submits": 2})
        assert submit(certs[1]) == 200
        assert http.get("/portal").status_code == 200  # the 1st since the knob: still logged in
        assert submit(certs[2]) == 200
        assert http.get("/portal").status_code == 302  # the 2nd: every session expired


def test_expire_ends_every_logged_in_session_now(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "p.db"), certs=30, test_api=True, frontend="accessible"))
    with TestClient(app, follow_redirects=False) as http:
        login(http)
        assert http.get("/portal").status_code == 200
        assert http.post("/__test__/expire").json() == {"expired": True}
        assert http.get("/portal").status_code == 302


def test_opt_in_enterprises_log_in_and_see_only_their_own(tmp_path: Path) -> None:
    flags = "--enterprises 3 --certs 40 --test-api --frontend accessible".split()
    settings = parse_args([*flags, "--db", str(tmp_path / "p.sqlite3")])
    with TestClient(create_app(settings), follow_redirects=False) as http:
        assert [a["username"] for a in http.get("/__test__/accounts").json()] == ["exporter1", "exporter2", "exporter3"]
        certs = http.get("/__test__/certificates", params={"enterprise": "exporter3"}).json()
        assert len(certs) == 20 and {c["exporterName"] for c in certs} == {"宝鸡渭水机械进出口有限公司"}
        login(http, "exporter3")
    with TestClient(create_app(Settings(db=str(tmp_path / "d.sqlite3"), test_api=True))) as http:
        assert len(http.get("/__test__/accounts").json()) == 2


def test_enterprises_beyond_the_extras_are_refused() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--enterprises", "9"])
