"""The console's parts without a browser: accounts and their hashes, `corobot user`, serve refusing an
open address without accounts, the captcha desk (answer and timeout), safe download paths."""

from __future__ import annotations

import asyncio
import io
import os
import stat
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from robot.commands.cli import main
from robot.console.auth import FIRST_DELAY_S, IDLE_S, WINDOW_S, Attempt, LoginLimit, Sessions
from robot.console.downloads import inside, plain_name
from robot.console.hosts import allowed_hosts, host_name
from robot.console.server import Listen, warnings_for
from robot.console.uploads import Refused, upload_name
from robot.console.users import Users, verify_password
from robot.core.config import Settings
from robot.core.errors import LoginFailed
from robot.engine.captcha_desk import CaptchaDesk, PersonHelpedSolver
from robot.ops.service import RobotService
from robot.store import using
from robot.store.schema import console_users
from tests.support.input_books import make_book


def test_accounts_keep_only_hashes(store_url: str | None, tmp_path: Path) -> None:
    users = Users(tmp_path, store_url or "")
    users.set_password("张三", "sehr-geheim-1")
    with using(store_url, tmp_path) as engine, engine.connect() as conn:
        stored = "".join(conn.scalars(select(console_users.c.password_hash)))
    assert "sehr-geheim-1" not in stored and stored.startswith("scrypt$")
    if users.path is not None:  # SQLite: the file (and its write-ahead log) holds no password either
        files = [p for p in (users.path, users.path.with_name(users.path.name + "-wal")) if p.exists()]
        assert not any(b"sehr-geheim-1" in p.read_bytes() for p in files)
        assert stat.S_IMODE(users.path.stat().st_mode) == 0o600 or os.name == "nt"
    assert users.check("张三", "sehr-geheim-1")
    assert not users.check("张三", "wrong-password")
    assert not users.check("nobody", "sehr-geheim-1")
    assert not verify_password("x", "plain$text")
    with pytest.raises(ValueError, match="至少"):
        users.set_password("李四", "short")


def test_user_add_and_passwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CO_STATE_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password\n"))
    assert main(["user", "add", "ops", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("other-password\n"))
    assert main(["user", "add", "ops", "--password-stdin"]) == 2
    assert "已存在" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("second-password\n"))
    assert main(["user", "passwd", "ops", "--password-stdin"]) == 0
    assert Users(tmp_path).check("ops", "second-password")
    assert main(["user", "passwd", "ghost", "--password-stdin"]) == 2


def test_serve_on_an_open_address_needs_an_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CO_STATE_DIR", str(tmp_path / "state"))
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "corobot user add" in capsys.readouterr().err


def test_captcha_desk_passes_an_answer_and_gives_up_after_the_timeout() -> None:
    desk = CaptchaDesk()

    async def answered() -> str | None:
        solver = PersonHelpedSolver(desk, None, 0, 30)
        task = asyncio.ensure_future(solver.solve(b"png"))
        while desk.pending() is None:
            await asyncio.sleep(0)
        prompt = desk.pending()
        assert prompt is not None and prompt.png == b"png"
        assert not desk.answer("not-this-one", "x")
        assert desk.answer(prompt.id, " AB12 ")
        return await task

    assert asyncio.run(answered()) == "AB12"
    assert desk.pending() is None

    async def unanswered() -> None:
        await PersonHelpedSolver(desk, None, 0, 0.05).solve(b"png")

    with pytest.raises(LoginFailed, match="超时"):
        asyncio.run(unanswered())
    assert "超时" in desk.last_message


def test_ocr_first_then_a_person() -> None:
    class Blind:
        async def solve(self, png: bytes) -> str | None:
            return None

    desk = CaptchaDesk()
    solver = PersonHelpedSolver(desk, Blind(), 2, 0.05)

    async def login() -> list[str | None]:
        solver.begin_login()
        return [await solver.solve(b"1"), await solver.solve(b"2")]

    assert asyncio.run(login()) == [None, None]
    with pytest.raises(LoginFailed):
        asyncio.run(solver.solve(b"3"))  # the third try of the same login asks a person


def test_download_paths_stay_inside_the_roots(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "a.xlsx").write_bytes(b"x")
    (tmp_path / "secret.txt").write_text("no")
    assert inside(root / "a.xlsx", [root]) == (root / "a.xlsx").resolve()
    assert inside(root / ".." / "secret.txt", [root]) is None
    assert inside(root, [root]) is None
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert inside(root / "link.txt", [root]) is None
    assert plain_name("待补录清单-20260101.xlsx")
    for bad in ("../x.xlsx", "a/b.xlsx", "..", ".hidden", "a\\b.xlsx", ""):
        assert not plain_name(bad)


def test_parallel_login_attempts_cannot_pass_the_limit_together() -> None:
    limit = LoginLimit()
    # five guesses let through at once (their password checks still running) use up the free tries
    tries = [limit.attempt("victim", "10.0.0.9") for _ in range(5)]
    assert all(isinstance(t, Attempt) for t in tries)
    assert 0 < limit.attempt("victim", "10.0.0.9") <= FIRST_DELAY_S + 1  # type: ignore[operator]
    assert limit.wait_s("victim", "10.0.0.9") > 0


def test_a_valid_login_resets_no_count() -> None:
    limit = LoginLimit()
    for _ in range(19):  # guesses at other accounts from one address ...
        guess = limit.attempt(f"made-up-{_}", "10.0.0.9")
        assert isinstance(guess, Attempt)
    mine = limit.attempt("attacker", "10.0.0.9")  # ... and a login to the attacker's own account
    assert isinstance(mine, Attempt)
    limit.succeeded(mine, "attacker", "10.0.0.9")
    assert isinstance(limit.attempt("victim", "10.0.0.9"), Attempt)  # the 20th failure
    assert limit.attempt("victim", "10.0.0.9") > 0  # the address now waits, the success cleared nothing


def test_delays_grow_and_guesses_elsewhere_do_not_lock_the_real_user_out() -> None:
    limit = LoginLimit()
    real = limit.attempt("victim", "10.0.0.1")
    assert isinstance(real, Attempt)
    limit.succeeded(real, "victim", "10.0.0.1")  # the real user's address becomes known
    waits = []
    for address in range(40):  # guesses of the victim's password from 40 addresses, 5 each
        for _ in range(5):
            assert isinstance(limit.attempt("victim", f"192.0.2.{address}"), Attempt) or address >= 4
        waits.append(limit.wait_s("victim", f"192.0.2.{address}"))
    assert waits[-1] > 0 and max(waits) <= 61  # the account-wide delay: at most a minute for a new address
    assert limit.wait_s("victim", "10.0.0.1") == 0  # the real user, from their known address: no delay
    assert limit.wait_s("victim", "10.0.0.2") <= 61  # from a new one: a delay, not a lock


def test_each_failure_past_the_free_tries_doubles_the_delay() -> None:
    limit = LoginLimit()
    now = time.monotonic()
    waits = []
    for count in (4, 5, 6, 7, 30):
        limit._failures = {"pair:v@a": [now] * count}
        waits.append(limit.wait_s("v", "a"))
    assert waits[0] == 0 and [round(w / FIRST_DELAY_S) for w in waits[1:4]] == [1, 2, 4]
    assert waits[4] in (WINDOW_S, WINDOW_S + 1)  # capped


def test_blocked_attempts_with_made_up_names_leave_no_state() -> None:
    limit = LoginLimit()
    for i in range(20):
        assert isinstance(limit.attempt(f"x{i}", "a"), Attempt)
    before = {k: list(v) for k, v in limit._failures.items()}
    for i in range(50):
        assert limit.attempt(f"made-up-{i}", "a") > 0
        assert limit.wait_s(f"other-{i}", "b") == 0
    assert limit._failures == before


def test_a_session_ends_at_its_absolute_lifetime_however_active() -> None:
    sessions = Sessions(max_age_s=3600)
    session = sessions.create("ops")
    assert sessions.get(session.token) is session
    session.created -= 3601
    session.seen = time.monotonic()
    assert sessions.get(session.token) is None


def test_host_names_the_console_answers_to() -> None:
    names = allowed_hosts("0.0.0.0", "robot.example.cn, 10.0.0.5")
    assert names == {"localhost", "127.0.0.1", "::1", "robot.example.cn", "10.0.0.5"}
    assert "192.168.1.20" in allowed_hosts("192.168.1.20", "")
    assert host_name("[::1]:8765") == "::1" and host_name("Robot.Example.CN:443") == "robot.example.cn"
    assert host_name("localhost") == "localhost" and host_name("evil.example:80") == "evil.example"


def test_upload_names_that_would_be_unsafe_on_disk_are_refused() -> None:
    assert upload_name("..%2F..%2Fstate%2F%E6%B8%85%E5%8D%95.xlsx") == "清单.xlsx"  # only the last part
    assert upload_name("C:\\Users\\张三\\补录清单.xlsx") == "补录清单.xlsx"
    long_name = "补" * 60 + ".xlsx"  # 185 bytes: its -结果-时间.xlsx companions would not fit 255
    for bad in (
        "CON.xlsx",
        "nul.backup.xlsx",
        "a\u202excod.xlsx",
        "a\u200bb.xlsx",
        "a\x00b.xlsx",
        "a\x7fb.xlsx",
        "a:stream.xlsx",
        "what?.xlsx",
        "..xlsx",
        ".hidden.xlsx",
        long_name,
    ):
        with pytest.raises(Refused):
            upload_name(quote(bad))
    assert upload_name(quote("补" * 45 + ".xlsx")) == "补" * 45 + ".xlsx"


@pytest.fixture()
def service(tmp_path: Path) -> RobotService:
    settings = Settings(state_dir=tmp_path / "state", inbox_dir=tmp_path / "inbox")
    robot = RobotService(settings)
    robot.staging.mkdir(parents=True)
    return robot


def received(service: RobotService, tmp_path: Path, name: str = "in.xlsx") -> Path:
    book = make_book(tmp_path / name, [["海关", "A211026902331080", "否", ""]])
    path = service.staging / f".recv-{name}"
    book.replace(path)
    return path


def test_an_upload_that_cannot_be_checked_is_refused_and_nothing_stays_staged(
    service: RobotService, tmp_path: Path
) -> None:
    check = service.check_upload(received(service, tmp_path), "补" * 100 + ".xlsx", "ops")  # > 255 bytes
    assert check.refusal and check.path is None
    assert not list(service.staging.iterdir())


def test_a_double_click_on_confirm_queues_the_upload_once(
    service: RobotService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = service.check_upload(received(service, tmp_path), "in.xlsx", "ops")
    assert not check.refusal and check.path is not None
    second: list[object] = []
    record = service.origins.record

    def record_then_click_again(sha256: str, origin: str) -> None:  # the second request arrives meanwhile
        second.append(service.confirm_upload(check.id, "ops"))
        record(sha256, origin)

    monkeypatch.setattr(service.origins, "record", record_then_click_again)
    assert service.confirm_upload(check.id, "ops") is not None
    assert second == [None] and len(service.queued()) == 1


def test_the_same_content_is_refused_while_its_first_upload_waits_in_the_queue(
    service: RobotService, tmp_path: Path
) -> None:
    staged = received(service, tmp_path)
    copy = service.staging / ".recv-again.xlsx"
    copy.write_bytes(staged.read_bytes())  # the same bytes (a workbook made a second later differs: its dates)
    first = service.check_upload(staged, "in.xlsx", "ops")
    assert service.confirm_upload(first.id, "ops") is not None
    again = service.check_upload(copy, "again.xlsx", "victim")
    assert "内容完全相同" in again.refusal and again.path is None
    assert service.user_uploads("victim") == [again] and service.user_uploads("ops") == [first]


def test_a_second_login_waits_for_the_desk_instead_of_replacing_the_first_prompt() -> None:
    desk = CaptchaDesk()

    async def two_logins() -> list[str | None]:
        first = asyncio.ensure_future(desk.ask(b"first", 30))
        while desk.pending() is None:
            await asyncio.sleep(0)
        second = asyncio.ensure_future(desk.ask(b"second", 30))
        await asyncio.sleep(0.05)
        prompt = desk.pending()
        assert prompt is not None and prompt.png == b"first"  # still the first one's image
        assert desk.answer(prompt.id, "AAAA")
        while (prompt := desk.pending()) is None or prompt.png != b"second":
            await asyncio.sleep(0.01)
        assert desk.answer(prompt.id, "BBBB")
        return [await first, await second]

    assert asyncio.run(two_logins()) == ["AAAA", "BBBB"]
    assert desk.pending() is None


def test_status_polling_does_not_keep_an_idle_session_alive() -> None:
    sessions = Sessions()
    session = sessions.create("ops")
    session.seen -= IDLE_S - 60  # last real request almost 8 hours ago
    assert sessions.get(session.token, touch=False) is session  # the open tab polls ...
    session.seen -= 120  # ... and polls on, but nobody clicks
    assert sessions.get(session.token, touch=False) is None
    assert sessions.get(session.token) is None  # gone for pages too
    active = sessions.create("ops")
    active.seen -= IDLE_S - 60
    assert sessions.get(active.token) is active and sessions.get(active.token, touch=False) is active


def test_serve_refuses_half_a_tls_pair_and_warns_on_an_open_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CO_STATE_DIR", str(tmp_path / "state"))
    assert main(["serve", "--port", "0", "--tls-cert", str(tmp_path / "cert.pem")]) == 2
    assert "--tls-key" in capsys.readouterr().err
    (tmp_path / "cert.pem").write_text("x")
    assert (
        main(
            [
                "serve",
                "--port",
                "0",
                "--tls-cert",
                str(tmp_path / "cert.pem"),
                "--tls-key",
                str(tmp_path / "missing.pem"),
            ]
        )
        == 2
    )
    assert "missing.pem" in capsys.readouterr().err
    plain = warnings_for(Settings(), Listen("0.0.0.0"))
    assert any("明文" in line for line in plain) and any("console_hosts" in line for line in plain)
    served = Listen("0.0.0.0", tls_cert=Path("c"), tls_key=Path("k"))
    tls = warnings_for(Settings(console_hosts="robot.example.cn"), served)
    assert len(tls) == 1 and "网络开放" in tls[0]
    assert warnings_for(Settings(), Listen("127.0.0.1")) == []
