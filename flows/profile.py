"""The portal profile: what the robot must know about a portal that the process guide does not say.

A TOML file (`flows/profiles/mock.toml` holds the mock portal's values, which are the defaults);
the setting `portal_profile` (CO_PORTAL_PROFILE) names a deployer's copy. Every key is documented
in the default file and in docs/portal-contract.md ("What the robot relies on").
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robot.core.config import ConfigError

DEFAULT_PROFILE = Path(__file__).parent / "profiles" / "mock.toml"


@dataclass(frozen=True)
class PortalProfile:
    start_url: str
    success: tuple[str, ...]
    busy: tuple[str, ...]
    expired: tuple[str, ...]
    wrong_captcha: tuple[str, ...]
    no_data: tuple[str, ...]
    loading: tuple[str, ...]
    submit_outcome_s: float
    table_load_s: float
    animations: bool
    """False: the page's CSS animations and transitions are cut short in the robot's browser."""
    words: Mapping[str, str]
    """The guide's words (menu entries, labels, buttons, headers, dialog titles, status texts) as this
    portal shows them: key = the guide's word (or a dialog's name), value = the portal's text."""

    def start(self, portal_url: str) -> str:
        """The address the robot types first: `start_url`, else the configured portal_url."""
        return self.start_url or portal_url

    def word(self, key: str) -> str:
        """What the portal shows for the guide's word `key` (the guide's word unless `[words]` says)."""
        return self.words.get(key, key)

    def guide_word(self, shown: str) -> str:
        """The guide's word for a text the portal shows (a status read from a table), else the text."""
        for key, value in self.words.items():
            if value == shown:
                return key
        return shown


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"找不到门户配置文件（portal_profile）：{path}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"门户配置文件格式错误：{path}：{error}") from None


def load_profile(path: Path | None = None) -> PortalProfile:
    """The default profile, with the keys of `path` (when given) laid over it."""
    data = _read(DEFAULT_PROFILE)
    known_words = set(data["words"])
    if path is not None:
        own = _read(path)
        unknown = sorted(set(own.get("words", {})) - known_words)
        if unknown:
            raise ConfigError(
                f"门户配置文件 {path} 的 [words] 中有未知的词：{'、'.join(unknown)}"
                f"（可用的词见 {DEFAULT_PROFILE.name}）"
            )
        for section in ("messages", "waits", "words"):
            data[section] = {**data.get(section, {}), **own.pop(section, {})}
        data.update(own)
    messages, waits = data["messages"], data["waits"]

    def texts(key: str) -> tuple[str, ...]:
        value = messages[key]
        return (value,) if isinstance(value, str) else tuple(str(v) for v in value)

    return PortalProfile(
        start_url=str(data.get("start_url", "")),
        success=texts("success"),
        busy=texts("busy"),
        expired=texts("expired"),
        wrong_captcha=texts("wrong_captcha"),
        no_data=texts("no_data"),
        loading=texts("loading"),
        submit_outcome_s=float(waits["submit_outcome_s"]),
        table_load_s=float(waits["table_load_s"]),
        animations=bool(data.get("animations", True)),
        words={str(k): str(v) for k, v in data["words"].items()},
    )
