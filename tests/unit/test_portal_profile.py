"""The portal profile: defaults from flows/profiles/mock.toml, a deployer's file laid over them, the
setting that names it, the guide's words in `[words]` and doctor's suggestion of such a line; and the
word matching every page object relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.near_words import suggestions
from flows.profile import load_profile
from flows.widgets import _RANGE, OptionMissing, any_of, exactly
from robot.core.config import ConfigError, load_settings


def test_defaults_are_the_mock_portals() -> None:
    profile = load_profile()
    assert "提交成功" in profile.success and "系统繁忙" in profile.busy and "登录已超时" in profile.expired
    assert profile.start("http://127.0.0.1:8000") == "http://127.0.0.1:8000"


def test_a_deployers_file_changes_only_its_own_keys(tmp_path: Path) -> None:
    own = tmp_path / "portal-profile.toml"
    own.write_text(
        'start_url = "https://www.singlewindow.shaanxi.cn"\n[messages]\nsuccess = ["补录成功"]\n'
        "[waits]\nsubmit_outcome_s = 40\n",
        encoding="utf-8",
    )
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


def test_every_guide_word_defaults_to_itself_and_a_deployer_renames_one(tmp_path: Path) -> None:
    assert load_profile().word("补录信息查询") == "补录信息查询"
    assert load_profile().word("对话框：报关单号补录") == "报关单号补录"
    own = tmp_path / "portal-profile.toml"
    own.write_text('[words]\n"补录信息查询" = "补录查询"\n"海关接收成功" = "接收成功"\n', encoding="utf-8")
    profile = load_profile(own)
    assert profile.word("补录信息查询") == "补录查询" and profile.word("报关单号补录") == "报关单号补录"
    assert profile.guide_word("接收成功") == "海关接收成功"  # a status read back is named by the guide's word
    assert profile.guide_word("已申报") == "已申报"


def test_an_unknown_word_key_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "portal-profile.toml"
    own.write_text('[words]\n"补录信息查找" = "补录查询"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="补录信息查找"):
        load_profile(own)


def test_doctor_suggests_the_words_line_for_a_near_match() -> None:
    texts = ["出口报关单补录", "报关单号补录", "补录查询", "首页", "退出"]
    assert suggestions(load_profile(), ["补录信息查询"], texts) == ['"补录信息查询" = "补录查询"']
    assert suggestions(load_profile(), ["补录信息查询"], ["报关单号补录", "首页"]) == []  # another guide word
    assert suggestions(load_profile(), ["报关单号补录"], texts) == []  # it is there


def test_a_missing_option_names_the_options_the_page_has() -> None:
    error = OptionMissing("证明类型", "全部", ["请选择", "一般原产地证书", "RCEP原产地证书"])
    assert str(error) == "证明类型：没有找到选项“全部”（页面上的选项：请选择、一般原产地证书、RCEP原产地证书）"


@pytest.mark.parametrize(
    ("shown", "is_range"),
    [
        ("开始日期 - 结束日期", True),
        ("YYYY-MM-DD - YYYY-MM-DD", True),
        ("2026-05-01 ~ 2026-05-31", True),
        ("YYYY-MM-DD", False),
        ("开始日期", False),
        ("2026-05-01", False),
    ],
)
def test_a_range_date_field_is_told_by_its_text(shown: str, is_range: bool) -> None:
    assert bool(_RANGE.search(shown)) is is_range
