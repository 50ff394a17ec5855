"""The layui front end's pages and XHR wire over HTTP (in-process app): front page, login, the
{errCode, errMsg, rows, total} envelope, bootstrap-table's limit/offset, form posts, expired sessions,
the --rename-menu knob."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mock_portal.app import create_app
from mock_portal.auth import COOKIE
from mock_portal.settings import Settings, parse_args

PASSWORD = "Corobot#2026"
XHR = {"X-Requested-With": "XMLHttpRequest"}
CERTS = "/swOrigin/api/supplement/certList"
SAVE = "/swOrigin/api/supplement/save"
RECORDS = "/swOrigin/api/supplement/recordList"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    db = tmp_path_factory.mktemp("portal") / "portal.sqlite3"
    return create_app(
        Settings(
            db=str(db),
            certs=60,
            test_api=True,
            receipt_delay=0.0,
            frontend="layui",
            rename_menu={"补录信息查询": "补录查询"},
        )
    )


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as http:
        yield http
    app.state.portal.settings.session_lifetime = 0.0


def login(client: TestClient, user: str = "exporter1") -> str:
    """Logs in through the CAS form; returns the page's CSRF token (meta csrf-token)."""
    page = client.get("/cas/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    answer = client.app.state.portal.sessions.get(client.cookies[COOKIE]).captcha  # type: ignore[attr-defined]
    done = client.post(
        "/cas/login", data={"username": user, "password": PASSWORD, "captcha": answer, "csrf_token": csrf[1]}
    )
    assert done.status_code == 302 and done.headers["location"] == "/portal/index"
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/portal/index").text)
    assert token
    return token[1]


def _approved(client: TestClient, user: str = "exporter1", authority: str = "海关") -> list[dict]:
    certs = client.get("/__test__/certificates", params={"enterprise": user}).json()
    return [c for c in certs if c["approved"] and c["authority"] == authority]


def test_front_page_is_not_the_login_page_and_links_to_it(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "登 录" in page.text and 'href="/cas/login"' in page.text
    assert 'type="password"' not in page.text
    assert "/static/vendor/layui/layui.js" in page.text and "/static/vendor/jquery/jquery.min.js" in page.text


def test_login_page_fields_are_known_by_placeholders_only(client: TestClient) -> None:
    page = client.get("/cas/login").text
    for placeholder in ("请输入用户名", "请输入密码", "请输入验证码"):
        assert f'placeholder="{placeholder}"' in page
    assert "<label" not in page and "aria-" not in page and "role=" not in page
    assert "登 录" in page


def test_login_errors_are_told_apart(client: TestClient) -> None:
    page = client.get("/cas/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    wrong = client.post(
        "/cas/login", data={"username": "exporter1", "password": PASSWORD, "captcha": "zzzz", "csrf_token": csrf}
    )
    assert 'data-msg="验证码错误，请重新输入"' in wrong.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', wrong.text)[1]  # type: ignore[index]
    answer = client.app.state.portal.sessions.get(client.cookies[COOKIE]).captcha  # type: ignore[attr-defined]
    bad = client.post(
        "/cas/login", data={"username": "exporter1", "password": "nope", "captcha": answer, "csrf_token": csrf}
    )
    assert 'data-msg="用户名或密码错误"' in bad.text


def test_certificate_list_speaks_the_envelope_with_limit_and_offset(client: TestClient) -> None:
    login(client)
    first = client.get(CERTS, params={"authority": "customs", "limit": 5, "offset": 0}, headers=XHR).json()
    assert first["errCode"] == "100" and first["errMsg"]
    assert first["total"] == len(_approved(client)) and len(first["rows"]) == 5
    second = client.get(CERTS, params={"authority": "customs", "limit": 5, "offset": 5}, headers=XHR).json()
    assert {r["certNo"] for r in first["rows"]}.isdisjoint(r["certNo"] for r in second["rows"])
    assert set(first["rows"][0]) >= {
        "id",
        "certNo",
        "certType",
        "exporterCode",
        "exporterName",
        "createdOn",
        "auditStatus",
        "supplementStatus",
    }


def test_certificate_list_takes_a_form_body_and_answers_101_for_nothing(client: TestClient) -> None:
    csrf = login(client)
    cert = _approved(client)[0]
    found = client.post(
        CERTS,
        data={"authority": "customs", "certNo": cert["certNo"], "limit": 10, "offset": 0, "csrf_token": csrf},
        headers=XHR,
    ).json()
    assert [r["certNo"] for r in found["rows"]] == [cert["certNo"]]
    none = client.post(
        CERTS,
        data={"authority": "customs", "certNo": "NOPE", "limit": 10, "offset": 0},
        headers={**XHR, "X-CSRF-Token": csrf},
    ).json()
    assert none == {"errCode": "101", "errMsg": "没有查询到数据", "rows": [], "total": 0}


def test_posts_need_the_csrf_token(client: TestClient) -> None:
    login(client)
    assert client.post(RECORDS, data={"limit": 10, "offset": 0}, headers=XHR).status_code == 403


def test_save_refuses_with_the_rule_message_then_records(client: TestClient) -> None:
    csrf = login(client)
    cert = _approved(client)[1]
    refused = client.post(
        SAVE, data={"certId": cert["id"], "exported": "1", "declarationNos": "123", "csrf_token": csrf}, headers=XHR
    ).json()
    assert refused["errCode"] == "102" and refused["errMsg"] == "报关单号应为18位数字：123"
    done = client.post(
        SAVE, data={"certId": cert["id"], "exported": "0", "declarationNos": ""}, headers={**XHR, "X-CSRF-Token": csrf}
    ).json()
    assert done["errCode"] == "100" and done["errMsg"] == "提交成功"
    records = client.post(
        RECORDS, data={"certNo": cert["certNo"], "limit": 10, "offset": 0, "csrf_token": csrf}, headers=XHR
    ).json()
    assert records["total"] == 1 and records["rows"][0]["exported"] == "否"


def test_expired_session_answers_xhr_with_an_errcode_and_pages_with_the_login_page(client: TestClient) -> None:
    login(client)
    client.app.state.portal.settings.session_lifetime = 0.001  # type: ignore[attr-defined]
    answer = client.get(CERTS, params={"authority": "customs", "limit": 10, "offset": 0}, headers=XHR)
    assert answer.status_code == 200
    assert answer.json()["errCode"] == "-1" and answer.json()["errMsg"] == "登录已超时，请重新登录"
    page = client.get("/swOrigin/supplement/records")
    assert page.status_code == 302 and page.headers["location"].startswith("/cas/login")
    anonymous = client.get(CERTS, params={"authority": "customs"}, headers=XHR).json()
    assert anonymous["errCode"] == "401"


def test_rename_menu_renames_the_left_menu_entry(client: TestClient) -> None:
    login(client)
    shell = client.get("/swOrigin/index").text
    assert "补录查询" in shell and "补录信息查询" not in shell
    assert "报关单号补录" in shell and 'class="layui-nav layui-nav-tree"' in shell


def test_vendored_libraries_are_served_locally(client: TestClient) -> None:
    for path in (
        "/static/vendor/jquery/jquery.min.js",
        "/static/vendor/layui/layui.js",
        "/static/vendor/layui/css/layui.css",
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/bootstrap-table/bootstrap-table.min.js",
        "/static/vendor/bootstrap-table/locale/bootstrap-table-zh-CN.min.js",
    ):
        assert client.get(path).status_code == 200, path


def test_frontend_flag_env_and_test_api(client: TestClient) -> None:
    assert client.get("/__test__/frontend").json() == {"frontend": "layui", "renameMenu": {"补录信息查询": "补录查询"}}
    assert parse_args([], {}).frontend == "layui"
    assert parse_args([], {"MOCK_FRONTEND": "accessible", "MOCK_RENAME_MENU": "a=b,c=d"}).rename_menu == {
        "a": "b",
        "c": "d",
    }
    assert parse_args(["--frontend", "accessible", "--rename-menu", "x=y", "--rename-menu", "z=w"], {}).rename_menu == {
        "x": "y",
        "z": "w",
    }
    with pytest.raises(SystemExit):
        parse_args(["--frontend", "vue"], {})


def test_rename_menu_on_the_accessible_front_end(tmp_path: Path) -> None:
    app = create_app(
        Settings(db=str(tmp_path / "p.db"), certs=10, frontend="accessible", rename_menu={"补录信息查询": "补录查询"})
    )
    with TestClient(app, follow_redirects=False) as http:
        page = http.get("/cas/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]  # type: ignore[index]
        answer = app.state.portal.sessions.get(http.cookies[COOKIE]).captcha
        http.post(
            "/cas/login", data={"username": "exporter1", "password": PASSWORD, "captcha": answer, "csrf_token": csrf}
        )
        shell = http.get("/origin/index").text
    assert ">补录查询</a>" in shell and "补录信息查询" not in shell
