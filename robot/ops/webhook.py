"""Webhook notification: the run summary POSTed as 企业微信 or 钉钉 group-robot markdown, or plain JSON.

The URL carries the robot's key (企业微信 `key=`, 钉钉 `access_token=`) and is a Secret: only the
host is ever logged. 钉钉 加签: with `dingtalk_secret`, `timestamp` and `sign` are added to the URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus, urlsplit

import httpx

from robot.core.secrets import Secret
from robot.ops.notice import RunNotice

FORMATS = ("json", "wecom", "dingtalk")


class WebhookError(Exception):
    """The webhook answered with an error (message free of secrets)."""


def markdown(notice: RunNotice) -> str:
    head = f"### {notice.title}"
    return "\n".join([head, *(f"> {line}" for line in notice.lines())])


def payload(kind: str, notice: RunNotice) -> dict[str, object]:
    """The request body for `kind` (json | wecom | dingtalk)."""
    if kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": markdown(notice)[:4000]}}
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": notice.title, "text": markdown(notice)}}
    if kind == "json":
        return notice.as_json()
    raise ValueError(f"webhook_format 只能是 {' / '.join(FORMATS)}，而不是“{kind}”")


def dingtalk_signed(url: str, secret: Secret, now_ms: int | None = None) -> str:
    """The URL with 钉钉 加签 parameters (HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded)."""
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.reveal().encode(), f"{stamp}\n{secret.reveal()}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def host_of(url: Secret) -> str:
    return urlsplit(url.reveal()).netloc or "?"


def post(
    url: Secret, kind: str, notice: RunNotice, dingtalk_secret: Secret | None = None, timeout_s: float = 15.0
) -> None:
    """POSTs the notice; raises WebhookError (without the URL's key) when it was not accepted."""
    target = url.reveal()
    if kind == "dingtalk" and dingtalk_secret:
        target = dingtalk_signed(target, dingtalk_secret)
    try:
        response = httpx.post(target, json=payload(kind, notice), timeout=timeout_s)
    except httpx.HTTPError as error:
        raise WebhookError(f"{host_of(url)} 无法送达：{type(error).__name__}") from None
    if response.status_code >= 300:
        raise WebhookError(f"{host_of(url)} 回答 HTTP {response.status_code}")
    if kind in ("wecom", "dingtalk"):
        try:
            answer = response.json()
        except ValueError:
            return
        if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
            raise WebhookError(f"{host_of(url)} 拒绝：{answer.get('errcode')} {answer.get('errmsg', '')}")
