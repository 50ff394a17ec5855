"""Several accounts: [accounts.<name>] tables, which account a row goes to, workers within max_workers,
and the migration of a journal written by the single-account version (a real dump of one)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from robot.books.account_column import assign_accounts
from robot.books.workbook_in import read_input
from robot.core.account_settings import accounts_of, default_account, find_account, settings_for
from robot.core.config import ConfigError, Settings, load_settings
from robot.core.model import Authority, Task
from robot.core.secrets import Secret
from robot.engine.account_runs import plan_workers
from robot.engine.journal import SUBMITTED
from robot.engine.journal_open import open_journal, scope_of
from robot.engine.journal_scope import Scope
from tests.support.input_books import make_book

TWO = """
[corobot]
portal_url = "http://portal.test"
workers = 2
[accounts.default]
username = "exporter1"
enterprise = "西安秦川机电进出口有限公司"
[accounts.silk]
username = "exporter2"
portal_url = "http://other.test/"
min_submit_interval_s = 3
"""
LEGACY_DUMP = Path(__file__).parent / "data" / "journal-single-account.sql"
NUMBER = "610120260000012345"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CO_PORTAL_URL",
        "CO_USERNAME",
        "CO_PASSWORD",
        "CO_WORKERS",
        "CO_PASSWORD_DEFAULT",
        "CO_PASSWORD_SILK",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("robot.core.config._keyring_password", lambda user: Secret(""))


def two(tmp_path: Path) -> Settings:
    config = tmp_path / "corobot.toml"
    config.write_text(TWO, encoding="utf-8")
    return load_settings(config)


def test_tables_give_accounts_with_passwords_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CO_PASSWORD_SILK", "pw2")
    settings = two(tmp_path)
    default, silk = accounts_of(settings)
    assert (default.name, default.username) == ("default", "exporter1")
    assert default.enterprise == "西安秦川机电进出口有限公司"
    assert silk.password == Secret("pw2") and not default.password
    mine = settings_for(settings, silk)
    assert (mine.username, mine.portal_url, mine.min_submit_interval_s, mine.workers, mine.account) == (
        "exporter2",
        "http://other.test/",
        3.0,
        2,
        "silk",
    )
    assert settings_for(settings, default).portal_url == "http://portal.test"
    assert default_account(accounts_of(settings)) is default
    assert find_account(accounts_of(settings), "EXPORTER2") is silk


def test_todays_single_account_config_is_one_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, {"username": "exporter1", "password": "pw"})
    (only,) = accounts_of(settings)
    assert (only.label, only.implicit, only.password) == ("exporter1", True, Secret("pw"))
    assert settings_for(settings, only).account == ""  # keeps session.json


@pytest.mark.parametrize(
    "table, words",
    [
        ('[accounts.a]\nusername = "u"\npassword = "x"\n', "密码不能写在配置文件中"),
        ('[accounts.a]\nportal_url = "http://x"\n', "缺少 username"),
        ('[accounts.done]\nusername = "u"\n', "账号名称"),
        ('[accounts.a]\nusername = "u"\nspeed = 3\n', "未知的设置"),
    ],
)
def test_bad_tables_are_refused_in_chinese(tmp_path: Path, table: str, words: str) -> None:
    config = tmp_path / "corobot.toml"
    config.write_text(table, encoding="utf-8")
    with pytest.raises(ConfigError, match=words):
        load_settings(config)


def test_rows_get_their_account_or_are_invalid(tmp_path: Path) -> None:
    settings = two(tmp_path)
    accounts = [a for a in accounts_of(settings) if a.name != "default"] + [
        replace(accounts_of(settings)[0], name="xian", label="xian")
    ]  # two accounts, none is default
    header = ["签证机构", "证明号", "报关单号", "账号"]
    path = make_book(
        tmp_path / "in.xlsx",
        [
            ["海关", "A261026902331080", NUMBER, "silk"],
            ["海关", "A261026902331081", NUMBER, "exporter1"],
            ["海关", "A261026902331082", NUMBER, ""],
            ["海关", "A261026902331083", NUMBER, "nobody"],
        ],
        header=header,
    )
    book = read_input(path, today=date(2026, 6, 1))
    assign_accounts(book, accounts)
    assert [r.account for r in book.rows] == ["silk", "xian", "", ""]
    assert [r.task is not None for r in book.rows] == [True, True, False, False]
    missing, unknown = book.rows[2].rejections[0], book.rows[3].rejections[0]
    assert (missing.row, missing.column, missing.value) == (4, "账号", "") and "--account" in missing.reason
    assert (unknown.row, unknown.column, unknown.value) == (5, "账号", "nobody") and "未配置的账号" in unknown.reason
    again = read_input(path, today=date(2026, 6, 1))
    assign_accounts(again, accounts, run_account=accounts[0])  # --account silk: blank rows go there
    assert [r.account for r in again.rows] == ["silk", "xian", "silk", ""]


@pytest.mark.parametrize(
    "wanted, budget, plan, at_once",
    [
        ({"a": 1, "b": 1}, 2, {"a": 1, "b": 1}, 2),
        ({"a": 2, "b": 2}, 2, {"a": 1, "b": 1}, 2),
        ({"a": 3, "b": 1}, 4, {"a": 3, "b": 1}, 2),
        ({"a": 2, "b": 2, "c": 2}, 2, {"a": 1, "b": 1, "c": 1}, 2),
        ({"a": 4}, 2, {"a": 2}, 1),
    ],
)
def test_workers_stay_within_max_workers(
    wanted: dict[str, int], budget: int, plan: dict[str, int], at_once: int
) -> None:
    assert plan_workers(wanted, budget) == (plan, at_once)


def legacy_journal(state: Path) -> Path:
    state.mkdir(parents=True, exist_ok=True)
    path = state / "journal.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(LEGACY_DUMP.read_text(encoding="utf-8"))
    return path


def test_journal_of_the_single_account_version_is_migrated_once(tmp_path: Path) -> None:
    legacy_journal(tmp_path / "state")
    settings = replace(Settings(), portal_url="http://Portal.test/", username="exporter1", state_dir=tmp_path / "state")
    done = Task(2, Authority.CUSTOMS, "A261026902331080", True, (NUMBER,))
    with open_journal(settings) as journal:
        mine = journal.scoped(scope_of(settings))
        entry = mine.get(done.key)
        assert entry is not None and entry.state == SUBMITTED and entry.status == "海关接收成功"
        assert (entry.portal_url, entry.account) == ("http://portal.test", "exporter1")
        assert [e.cert_no for e in mine.unfinished()] == ["26C6101A0001/00012"]
        assert [e.state for e in mine.history(done.key)] == ["intent", "submitted", "submitted"]
        assert journal.get(done.key) is None  # no unattributed entry is left
        (run,) = journal.runs()
        assert run.accounts == ("exporter1",) and run.counts["成功"] == 1
        # another portal address or account never sees it: there the row is looked up on the portal
        assert journal.scoped(Scope("http://127.0.0.2:8000", "exporter1")).get(done.key) is None
        assert journal.scoped(Scope("http://portal.test", "exporter2")).get(done.key) is None
        assert journal.scoped(Scope("http://portal.test", "exporter2")).unfinished() == []
    with open_journal(settings) as journal:  # the second start changes nothing
        assert journal.adopt_legacy(scope_of(settings), "exporter1") == 0
        assert len(journal.scoped(scope_of(settings)).unfinished()) == 1


def test_migration_goes_to_the_default_account_of_tables(tmp_path: Path) -> None:
    legacy_journal(tmp_path / "state")
    settings = replace(two(tmp_path), state_dir=tmp_path / "state")
    with open_journal(settings) as journal:
        default, silk = accounts_of(settings)
        assert len(journal.scoped(scope_of(settings_for(settings, default))).unfinished()) == 1
        assert journal.scoped(scope_of(settings_for(settings, silk))).unfinished() == []
        assert journal.runs(account="default") and not journal.runs(account="silk")


def test_watch_looks_at_each_accounts_inbox_and_notices_name_accounts(tmp_path: Path) -> None:
    from robot.ops.account_inboxes import account_inboxes
    from robot.ops.notice import RunNotice

    settings = replace(two(tmp_path), inbox_dir=tmp_path / "inbox")
    assert account_inboxes(settings) == [
        (None, tmp_path / "inbox"),
        ("default", tmp_path / "inbox" / "default"),
        ("silk", tmp_path / "inbox" / "silk"),
    ]
    notice = RunNotice("清单.xlsx", 0, {"成功": 2}, None, accounts=("default", "silk"))
    assert "账号：default、silk" in notice.lines() and "default、silk" in notice.title
    assert notice.as_json()["accounts"] == ["default", "silk"]
