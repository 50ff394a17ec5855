"""Telling people: at the end of a run, the optional webhook and the optional mail (settings in
robot.core.config: webhook_*, smtp_*, mail_*, notify_on). A failed notification is logged (without any
secret) and never changes the run's exit code."""

from __future__ import annotations

from loguru import logger

from robot.core.config import Settings
from robot.ops import mail, webhook
from robot.ops.notice import RunNotice


def notify(settings: Settings, notice: RunNotice) -> None:
    if settings.notify_on == "problems" and notice.exit_code == 0:
        return
    if settings.webhook_url:
        try:
            webhook.post(settings.webhook_url, settings.webhook_format, notice, settings.dingtalk_secret)
            logger.info("通知已发送到 webhook（{}）", webhook.host_of(settings.webhook_url))
        except (webhook.WebhookError, ValueError) as error:
            logger.warning("webhook 通知未送达：{}", error)
    if settings.smtp_host and mail.recipients(settings):
        try:
            mail.send(settings, notice)
            logger.info("通知邮件已发送给 {}", ", ".join(mail.recipients(settings)))
        except Exception as error:  # smtplib, ssl and socket errors; their text holds no password
            logger.warning("通知邮件未发送：{}: {}", type(error).__name__, str(error)[:200])
