"""Business rules of a supplement: input validation messages and the customs receipt outcome."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

DECLARED = "已申报"
ACCEPTED = "海关接收成功"
REJECTED = "海关接收失败"
STATUSES: tuple[str, ...] = (DECLARED, ACCEPTED, REJECTED)

_SEPARATORS = re.compile(r"[；，,、:：\s]")
_DIGITS = re.compile(r"[0-9]+")


class ValidationError(ValueError):
    """A user input error; the message is the portal's Chinese text."""


def parse_declaration_nos(exported: str | None, text: str | None) -> list[str]:
    """Validates the dialog's answer; returns the numbers (empty for 否) or raises ValidationError."""
    raw = (text or "").strip()
    if exported not in ("1", "0"):
        raise ValidationError("请选择是否实际出口")
    if exported == "0":
        if raw:
            raise ValidationError("选择否时无需填写报关单号")
        return []
    if not raw:
        raise ValidationError("请输入报关单号")
    numbers = [part.strip() for part in raw.split(";")]
    numbers = [n for n in numbers if n]
    if not numbers:
        raise ValidationError("请输入报关单号")
    for number in numbers:
        if _SEPARATORS.search(number):
            raise ValidationError("多个报关单号请使用英文分号分隔")
    for number in numbers:
        if not _DIGITS.fullmatch(number):
            raise ValidationError(f"报关单号只能包含半角数字：{number}")
        if len(number) != 18:
            raise ValidationError(f"报关单号应为18位数字：{number}")
    return numbers


@dataclass(frozen=True)
class DeclarationInfo:
    username: str
    flag: str
    status: str


@dataclass(frozen=True)
class Receipt:
    status: str
    reason: str


def receipt(username: str, numbers: list[str], registry: Mapping[str, DeclarationInfo]) -> Receipt:
    """Customs' answer to a supplement: success, or the first failing number with its reason."""
    for number in numbers:
        info = registry.get(number)
        if info is None:
            return Receipt(REJECTED, f"报关单不存在：{number}")
        if info.username != username:
            return Receipt(REJECTED, f"报关单经营单位与出口商不一致：{number}")
        if info.flag == "1":
            return Receipt(REJECTED, f"报关单为进口报关单：{number}")
        if info.status not in ("放行", "结关"):
            return Receipt(REJECTED, f"报关单未放行或未结关：{number}")
    return Receipt(ACCEPTED, "")
