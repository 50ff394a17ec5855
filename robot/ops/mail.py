"""Mail notification: the run summary by SMTP (ssl, starttls or none), with the result workbook attached.

The SMTP password is a Secret, used only for the login and never logged.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from robot.core.config import Settings
from robot.ops.notice import RunNotice

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def recipients(settings: Settings) -> list[str]:
    return [a.strip() for a in settings.mail_to.replace(";", ",").split(",") if a.strip()]


def message(settings: Settings, notice: RunNotice) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = notice.title
    mail["From"] = settings.mail_from or settings.smtp_user or "corobot@localhost"
    mail["To"] = ", ".join(recipients(settings))
    mail.set_content("\n".join(notice.lines()) + "\n\n—— corobot 出口报关单补录机器人\n")
    if notice.report is not None and notice.report.exists():
        mail.add_attachment(
            notice.report.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=notice.report.name
        )
    return mail


def send(settings: Settings, notice: RunNotice, timeout_s: float = 30.0) -> None:
    """Sends the notice to mail_to through smtp_host; raises smtplib/OS errors on failure."""
    mail = message(settings, notice)
    security = settings.smtp_security.lower()
    if security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout_s, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout_s)
    with client:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password.reveal())
        client.send_message(mail)
