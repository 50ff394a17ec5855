"""Validation messages and customs receipt outcomes of a supplement (mock_portal.rules)."""

from __future__ import annotations

import pytest

from mock_portal.rules import ACCEPTED, REJECTED, DeclarationInfo, ValidationError, parse_declaration_nos, receipt

GOOD = "900120260000000001"
OTHER = "900120260000000002"


@pytest.mark.parametrize(
    ("exported", "text", "message"),
    [
        (None, "", "请选择是否实际出口"),
        ("", GOOD, "请选择是否实际出口"),
        ("1", "  ", "请输入报关单号"),
        ("1", ";;", "请输入报关单号"),
        ("1", "90012026000000001", "报关单号应为18位数字：90012026000000001"),
        ("1", "5.10120240000012E+17", "报关单号只能包含半角数字：5.10120240000012E+17"),
        ("1", "９００１２０２６００００００００１", "报关单号只能包含半角数字：９００１２０２６００００００００１"),
        ("1", f"{GOOD}；{OTHER}", "多个报关单号请使用英文分号分隔"),
        ("1", f"{GOOD},{OTHER}", "多个报关单号请使用英文分号分隔"),
        ("1", f"{GOOD}\n{OTHER}", "多个报关单号请使用英文分号分隔"),
        ("0", GOOD, "选择否时无需填写报关单号"),
    ],
)
def test_invalid_input_gets_the_portal_message(exported: str | None, text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_declaration_nos(exported, text)
    assert str(caught.value) == message


def test_numbers_are_split_on_ascii_semicolons_and_trimmed() -> None:
    assert parse_declaration_nos("1", f" {GOOD} ; {OTHER};") == [GOOD, OTHER]


def test_no_needs_no_numbers() -> None:
    assert parse_declaration_nos("0", "") == []


REGISTRY = {
    "900120260000000001": DeclarationInfo("exporter1", "0", "放行"),
    "900120260000000002": DeclarationInfo("exporter1", "0", "结关"),
    "900120261000000003": DeclarationInfo("exporter1", "1", "放行"),
    "900120260000000004": DeclarationInfo("exporter1", "0", "未放行"),
    "900120260000000005": DeclarationInfo("exporter2", "0", "放行"),
}


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("900120260000000099", "报关单不存在：900120260000000099"),
        ("900120261000000003", "报关单为进口报关单：900120261000000003"),
        ("900120260000000004", "报关单未放行或未结关：900120260000000004"),
        ("900120260000000005", "报关单经营单位与出口商不一致：900120260000000005"),
    ],
)
def test_receipt_rejects_with_reason(number: str, reason: str) -> None:
    result = receipt("exporter1", ["900120260000000001", number], REGISTRY)
    assert (result.status, result.reason) == (REJECTED, reason)


def test_receipt_accepts_released_and_closed_exports() -> None:
    result = receipt("exporter1", ["900120260000000001", "900120260000000002"], REGISTRY)
    assert (result.status, result.reason) == (ACCEPTED, "")


def test_receipt_accepts_no_numbers() -> None:
    assert receipt("exporter1", [], REGISTRY).status == ACCEPTED
