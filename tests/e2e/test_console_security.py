"""The console's security against the real `corobot serve` (HTTP, no browser): every page, API and
download needs a login; a POST without the CSRF token is refused; no `../` download; an oversized and
a zip-bomb upload are refused; unconfirmed uploads are limited per user; a foreign Host is refused;
login attempts are delayed (X-Forwarded-For believed only with --proxy; guesses from one address leave
the user free from another; a valid login resets nothing); HTTPS with Secure cookies and sessions that
end at their lifetime."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook

from robot.commands.demo import mock_portal
from tests.support.console import (
    OPS,
    OPS_PASSWORD,
    VICTIM,
    VICTIM_PASSWORD,
    Served,
    login_client,
    start_serve,
    try_login,
)
from tests.support.zip_bomb import zip_bomb

pytestmark = [pytest.mark.e2e, pytest.mark.frontend_neutral]  # see tests/e2e/conftest.py
PAGES = ["/", "/upload", "/running", "/history", "/history/1", "/pending", "/template", "/settings"]
PROTECTED = [
    "/api/status",
    "/download/template",
    "/download/run/1/report",
    "/download/run/1/log",
    "/download/run/1/evidence",
    "/download/file/x.xlsx",
    "/captcha.png?id=x",
]
POSTS = [
    "/stop",
    "/resume",
    "/look",
    "/pending/reconcile",
    "/worklist",
    "/captcha",
    "/api/upload",
    "/upload/x/confirm",
    "/upload/x/discard",
    "/logout",
]


@pytest.fixture(scope="module")
def served(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with mock_portal() as url:
        running = start_serve(
            url, tmp_path_factory.mktemp("secure"), CO_CONSOLE_UPLOAD_MAX_MB="1", CO_CONSOLE_PENDING_UPLOADS="2"
        )
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
    for path in [
        "/download/file/..%2Fstate%2Fjournal.sqlite3",
        "/download/file/..%2F..%2Fserve.log",
        "/download/file/%2E%2E%2Fconsole-users.json",
        "/download/run/1/..%2F..%2Fstate",
        "/download/file/..",
        "/download/file/.%2E",
    ]:
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


def test_login_is_rate_limited_whatever_x_forwarded_for_says(served: Served) -> None:
    client = httpx.Client(base_url=served.url)

    def attempt(password: str, i: int) -> int:  # a forged forwarded address each time: ignored without --proxy
        client.headers["X-Forwarded-For"] = f"198.51.100.{i}"
        return try_login(client, VICTIM, password).status_code

    assert [attempt("wrong-password", i) for i in range(5)] == [401] * 5
    assert attempt(VICTIM_PASSWORD, 9) == 429


def test_a_foreign_host_header_is_refused(served: Served) -> None:
    port = served.url.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "[::2]"):
        answer = httpx.get(served.url + "/login", headers={"Host": host})
        assert answer.status_code == 400 and "console_hosts" in answer.text, host
        assert "登录" not in answer.text
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "LOCALHOST"):
        assert httpx.get(served.url + "/login", headers={"Host": host}).status_code == 200, host
    assert httpx.get(served.url + "/static/console.css", headers={"Host": "evil.example"}).status_code == 400


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


def valid_book(path: Path, cert: str) -> Path:
    wb = Workbook()
    wb.active.append(["签证机构", "证明号", "是否实际出口", "报关单号"])
    wb.active.append(["海关", cert, "否", ""])
    wb.save(path)
    return path


def test_unconfirmed_uploads_are_limited_per_user(served: Served, tmp_path: Path) -> None:
    client, csrf = login_client(served)
    books = [valid_book(tmp_path / f"pending{i}.xlsx", f"A21102690233108{i}") for i in range(4)]
    answers = [upload(client, csrf, b.name, b) for b in books[:3]]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "等待确认" in answers[2].text and "console_pending_uploads" in answers[2].text
    other, other_csrf = login_client(served, VICTIM, VICTIM_PASSWORD)  # another user has places of their own
    assert upload(other, other_csrf, books[3].name, books[3]).status_code == 200
    first = re.search(r"/upload/([\w-]+)/discard", answers[0].text)
    assert first
    assert client.post(f"/upload/{first.group(1)}/discard", data={"csrf": csrf}).status_code == 303
    assert upload(client, csrf, books[2].name, books[2]).status_code == 200  # a place came free
    for page in (client.get("/upload").text, other.get("/upload").text):
        for check_id in re.findall(r"/upload/([\w-]+)/discard", page):
            client.post(f"/upload/{check_id}/discard", data={"csrf": csrf})
            other.post(f"/upload/{check_id}/discard", data={"csrf": other_csrf})


@pytest.fixture(scope="module")
def behind_proxy(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """serve behind a (pretended) reverse proxy on 127.0.0.1: the forwarded address is believed."""
    with mock_portal() as url:
        running = start_serve(url, tmp_path_factory.mktemp("proxied"), "--proxy", "127.0.0.1")
        yield running
        assert running.stop() == 0


def from_address(served: Served, address: str) -> httpx.Client:
    return httpx.Client(base_url=served.url, headers={"X-Forwarded-For": address}, timeout=30)


def test_guesses_from_one_address_do_not_lock_the_user_out_from_another(behind_proxy: Served) -> None:
    attacker = from_address(behind_proxy, "203.0.113.7")
    assert [try_login(attacker, VICTIM, "wrong-password").status_code for _ in range(5)] == [401] * 5
    assert try_login(attacker, VICTIM, VICTIM_PASSWORD).status_code == 429  # a delay, even for the right one
    assert "秒后再试" in try_login(attacker, VICTIM, "wrong-password").text
    assert try_login(from_address(behind_proxy, "192.0.2.10"), VICTIM, VICTIM_PASSWORD).status_code == 303


def test_a_valid_login_does_not_reset_the_count(behind_proxy: Served) -> None:
    guesser = from_address(behind_proxy, "203.0.113.8")
    assert [try_login(guesser, OPS, "wrong-password").status_code for _ in range(4)] == [401] * 4
    assert try_login(guesser, OPS, OPS_PASSWORD).status_code == 303  # the attacker also knows one password
    assert try_login(guesser, OPS, "wrong-password").status_code == 401  # the fifth failure, not the first
    assert try_login(guesser, OPS, "wrong-password").status_code == 429


def test_forwarded_https_is_believed_only_from_the_proxy(behind_proxy: Served, served: Served) -> None:
    said = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.30"}
    assert "secure" in httpx.get(behind_proxy.url + "/login", headers=said).headers["set-cookie"].lower()
    assert "secure" not in httpx.get(served.url + "/login", headers=said).headers["set-cookie"].lower()


@pytest.fixture(scope="module")
def over_tls(frontend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """serve over HTTPS (a self-signed certificate for 127.0.0.1) with logins that last 5 seconds."""
    work = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(work / "key.pem"),
            "-out",
            str(work / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    with mock_portal() as url:
        running = start_serve(
            url,
            work,
            "--tls-cert",
            str(work / "cert.pem"),
            "--tls-key",
            str(work / "key.pem"),
            CO_CONSOLE_SESSION_MAX_HOURS=str(5 / 3600),
        )
        yield running
        assert running.stop() == 0


def test_https_with_secure_cookies_and_sessions_that_end(over_tls: Served) -> None:
    assert over_tls.url.startswith("https://")
    client = httpx.Client(base_url=over_tls.url, verify=False, timeout=30)
    answer = try_login(client, OPS, OPS_PASSWORD)
    assert answer.status_code == 303 and "secure" in answer.headers["set-cookie"].lower()
    assert "max-age" in client.get("/running").headers["strict-transport-security"]
    with pytest.raises(httpx.HTTPError):
        httpx.get(over_tls.url.replace("https://", "http://") + "/login", timeout=10)
    deadline = time.monotonic() + 60
    while client.get("/api/status").status_code == 200:  # polled without pause by an open tab ...
        assert time.monotonic() < deadline, "the session outlived its lifetime"
        time.sleep(0.2)
    assert client.get("/running").status_code == 303  # ... it still ends at its lifetime
