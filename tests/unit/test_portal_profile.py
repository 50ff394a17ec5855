"""The portal profile: defaults from flows/profiles/mock.toml, a deployer's file laid over them, the
setting that names it; and the word matching every page object relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.profile import load_profile
from flows.widgets import any_of, exactly
from robot.core.config import ConfigError, load_settings


def test_defaults_are_the_mock_portals() -> None:
    profile = load_profile()
    assert "提交成功" in profile.success and "系统繁忙" in profile.busy and "登录已超时" in profile.expired
    assert profile.start("http://127.0.0.1:8000") == "http://127.0.0.1:8000"


def test_a_deployers_file_changes_only_its_own_keys(tmp_path: Path) -> None:
    own = tmp_path / "portal-profile.toml"
    own.write_text('start_url = "https://www.singlewindow.shaanxi.cn"\n[messages]\nsuccess = ["补录成功"]\n'
                   "[waits]\nsubmit_outcome_s = 40\n", encoding="utf-8")
    profile = load_profile(own)
    assert profile.start("http://ignored") == "https://www.singlewindow.shaanxi.cn"
    assert profile.success == ("补录成功",) and "系统繁忙" in profile.busy
    assert profile.submit_outcome_s == 40 and profile.table_load_s == load_profile().table_load_s


def test_the_setting_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CO_PORTAL_PROFILE", "site.toml")
    assert load_settings().portal_profile == Path("site.toml")
    with pytest.raises(ConfigError, match=r"site\.toml"):
        load_profile(load_settings().portal_profile)


@pytest.mark.parametrize("shown", ["登录", "登 录", " 登　录 ", "\ue609登录", "登录："])
def test_words_match_with_spaces_icons_and_a_colon(shown: str) -> None:
    assert exactly("登录").match(shown)


@pytest.mark.parametrize("shown", ["用户登录", "登录名", "登陆"])
def test_words_do_not_match_other_words(shown: str) -> None:
    assert not exactly("登录").match(shown)


def test_a_message_is_known_by_any_of_its_texts() -> None:
    assert any_of(["系统繁忙", "网络异常"]).search("系统繁忙，请稍后重试")
    assert not any_of([]).search("anything")
