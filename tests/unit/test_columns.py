"""Header matching of the input columns."""

from __future__ import annotations

from robot.books import columns as C


def test_chinese_header_matches_with_ascii_and_full_width_spaces() -> None:
    assert C.match_header(" 报关\u3000单号 ") is C.DECLARATION_NOS


def test_english_alias_matches_case_insensitively() -> None:
    assert C.match_header("Cert_No") is C.CERT_NO
    assert C.match_header("DECLARATION_NOS") is C.DECLARATION_NOS


def test_unknown_or_empty_header_matches_nothing() -> None:
    assert C.match_header("备注") is None
    assert C.match_header(None) is None


def test_required_columns_are_cert_no_and_declaration_nos() -> None:
    assert {c.header for c in C.COLUMNS if c.required} == {"证明号", "报关单号"}
