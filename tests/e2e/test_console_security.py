"""The console's security against the real `corobot serve` (HTTP, no browser): every page, API and
download needs a login; a POST without the CSRF token is refused; no `../` download; an oversized and
a zip-bomb upload are refused; login attempts are rate-limited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from robot.commands.demo import mock_portal
from tests.support.console import VICTIM, VICTIM_PASSWORD, Served, login_client, start_serve
from tests.support.zip_bomb import zip_bomb

pytestmark = pytest.mark.e2e
PAGES = ["/", "/upload", "/running", "/history", "/history/1", "/pending", "/template", "/settings"]
PROTECTED = ["/api/status", "/download/template", "/download/run/1/report", "/download/run/1/log",
             "/download/run/1/evidence", "/download/file/x.xlsx", "/captcha.png?id=x"]
POSTS = ["/stop", "/resume", "/look", "/pending/reconcile", "/worklist", "/captcha", "/api/upload",
         "/upload/x/confirm", "/upload/x/discard", "/logout"]


@pytest.fixture(scope="module")
def served(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with mock_portal() as url:
        running = start_serve(url, tmp_path_factory.mktemp("secure"), CO_CONSOLE_UPLOAD_MAX_MB="1")
        yield running
        assert running.stop() == 0
    assert "console-pass" not in running.log.read_text(encoding="utf-8")


def test_nothing_without_login(served: Served) -> None:
    anonymous = httpx.Client(base_url=served.url)
    for path in PAGES:
        answer = anonymous.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
    for path in PROTECTED:
        assert anonymous.get(path).status_code == 401, path
    for path in POSTS:
        assert anonymous.post(path, data={"csrf": "x"}).status_code == 401, path
    login = anonymous.get("/login")
    assert login.status_code == 200 and "登录" in login.text


def test_session_cookie_and_headers(served: Served) -> None:
    client, _ = login_client(served)
    raw = httpx.Client(base_url=served.url)
    token = re.search(r'name="csrf" value="([^"]+)"', raw.get("/login").text)
    assert token
    answer = raw.post("/login", data={"csrf": token.group(1), "username": "ops", "password": "console-pass-1"})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/settings")
    assert page.headers["x-frame-options"] == "DENY" and "script-src 'self'" in page.headers["content-security-policy"]
    assert "CO_PASSWORD" not in page.text and "Corobot#2026" not in page.text
    assert re.search(r"<code>password</code></td><td>已设置（不显示）", page.text)


def test_post_without_csrf_is_refused(served: Served) -> None:
    client, csrf = login_client(served)
    for path in POSTS:
        assert client.post(path, data={"csrf": "forged"}).status_code == 403, path
        assert client.post(path).status_code == 403, path
    assert client.post("/look", data={"csrf": csrf}).status_code == 303
    login_form = httpx.post(served.url + "/login", data={"username": "ops", "password": "console-pass-1"})
    assert login_form.status_code == 403


def test_download_paths_with_dot_dot_are_refused(served: Served) -> None:
    client, _ = login_client(served)
    (served.workdir / "state" / "journal.sqlite3").touch()
    for path in ["/download/file/..%2Fstate%2Fjournal.sqlite3", "/download/file/..%2F..%2Fserve.log",
                 "/download/file/%2E%2E%2Fconsole-users.json", "/download/run/1/..%2F..%2Fstate",
                 "/download/file/..", "/download/file/.%2E"]:
        answer = client.get(path)
        assert answer.status_code in (400, 404), path
        assert b"SQLite" not in answer.content and b"scrypt" not in answer.content
    template = client.get("/download/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def upload(client: httpx.Client, csrf: str, name: str, body: bytes | Path) -> httpx.Response:
    content = body.read_bytes() if isinstance(body, Path) else body
    return client.post("/api/upload", content=content, headers={"X-CSRF-Token": csrf, "X-File-Name": name})


def test_oversized_not_xlsx_and_zip_bomb_uploads_are_refused(served: Served, tmp_path: Path) -> None:
    client, csrf = login_client(served)
    big = upload(client, csrf, "big.xlsx", b"PK\x03\x04" + b"\0" * (3 * 2**20))
    assert big.status_code == 413 and "超过 1 MB" in big.text
    fake = upload(client, csrf, "fake.xlsx", "签证机构,证明号\n".encode())
    assert fake.status_code == 415 and "不是 .xlsx" in fake.text
    assert upload(client, csrf, "notes.txt", b"hello").status_code == 415
    bomb = upload(client, csrf, "bomb.xlsx", zip_bomb(tmp_path / "bomb.xlsx", 200))
    assert bomb.status_code == 422 and "解压后超过" in bomb.text
    staging = served.workdir / "inbox" / ".uploads"
    assert not [p for p in staging.rglob("*") if p.is_file()]


def test_login_is_rate_limited(served: Served) -> None:
    client = httpx.Client(base_url=served.url)

    def attempt(password: str) -> int:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert token
        return client.post("/login", data={"csrf": token.group(1), "username": VICTIM,
                                           "password": password}).status_code

    assert [attempt("wrong-password") for _ in range(5)] == [401] * 5
    assert attempt(VICTIM_PASSWORD) == 429


def test_upload_file_names_cannot_leave_the_staging_folder(served: Served, tmp_path: Path) -> None:
    client, csrf = login_client(served)
    book = zip_bomb(tmp_path / "small.xlsx", 0)
    escaped = upload(client, csrf, "..%2F..%2Fstate%2Fescaped.xlsx", book)
    assert "escaped.xlsx" in escaped.text and "%2F" not in escaped.text
    assert not list(served.workdir.rglob("state/escaped.xlsx"))
    for bad in ("CON.xlsx", "a%E2%80%AEgnp.xlsx", "a%3Astream.xlsx", "%E8%A1%A5" * 60 + ".xlsx"):
        answer = upload(client, csrf, bad, book)
        assert answer.status_code == 415 and "文件名" in answer.text, bad
    staged = [p for p in (served.workdir / "inbox" / ".uploads").rglob("*") if p.is_file()]
    assert all(p.parent.parent.name == ".uploads" for p in staged)
