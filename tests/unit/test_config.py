"""Settings: defaults < corobot.toml < CO_* environment < flags; the password never prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.core.config import ConfigError, Settings, load_settings
from robot.core.secrets import Secret


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CO_PORTAL_URL", "CO_USERNAME", "CO_PASSWORD", "CO_WORKERS", "CO_BROWSER"):
        monkeypatch.delenv(name, raising=False)


def test_toml_then_env_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "corobot.toml"
    config.write_text(
        '[corobot]\nportal_url = "http://toml"\nusername = "u"\npassword = "p"\nworkers = 2\n', encoding="utf-8"
    )
    monkeypatch.setenv("CO_PORTAL_URL", "http://env")
    settings = load_settings(config, {"workers": 1})
    assert (settings.portal_url, settings.username, settings.workers) == ("http://env", "u", 1)
    assert settings.password == Secret("p")


def test_workers_capped_by_max_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, {"workers": 99, "password": "x", "username": "u"})
    assert settings.workers == Settings().max_workers


def test_password_is_masked_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CO_PASSWORD", "s3cret!")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, {"username": "u"})
    assert settings.password.reveal() == "s3cret!"
    assert "s3cret!" not in repr(settings) and "s3cret!" not in str(settings.redacted())
    assert f"{settings.password}" == "******"


def test_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="找不到配置文件"):
        load_settings(tmp_path / "missing.toml")
