"""Webhook bodies (企业微信, 钉钉, plain JSON) and 钉钉 加签 for a run summary."""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from robot.core.secrets import Secret
from robot.ops.notice import RunNotice
from robot.ops.webhook import dingtalk_signed, payload

NOTICE = RunNotice("清单.xlsx", 1, {"成功": 3, "失败": 1, "合计": 4}, Path("done/清单-结果.xlsx"), "failed/清单.xlsx")


def test_wecom_is_markdown_with_the_counts() -> None:
    body = payload("wecom", NOTICE)
    assert body["msgtype"] == "markdown"
    assert "清单.xlsx" in body["markdown"]["content"] and "成功 3，失败 1" in body["markdown"]["content"]


def test_dingtalk_markdown_has_a_title_and_text() -> None:
    body = payload("dingtalk", NOTICE)
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"].startswith("corobot") and "退出码 1" in body["markdown"]["text"]


def test_plain_json_carries_machine_fields() -> None:
    body = payload("json", NOTICE)
    assert (body["workbook"], body["exit_code"], body["counts"]["失败"], body["placed"]) == (
        "清单.xlsx",
        1,
        1,
        "failed/清单.xlsx",
    )


def test_dingtalk_signature_is_hmac_of_timestamp_and_secret() -> None:
    url = dingtalk_signed("https://oapi.dingtalk.com/robot/send?access_token=T", Secret("SECabc"), now_ms=1700000000000)
    query = parse_qs(urlsplit(url).query)
    expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()).decode()
    assert query["timestamp"] == ["1700000000000"] and query["sign"] == [expected]
