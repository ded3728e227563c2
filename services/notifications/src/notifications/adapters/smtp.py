"""Sends rendered emails over SMTP with aiosmtplib."""

from email.message import EmailMessage

import aiosmtplib

from notifications.config import NotificationsSettings
from notifications.domain.email import RenderedEmail


class SmtpSender:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings

    async def send(self, email: RenderedEmail, message_id: str) -> None:
        message = EmailMessage()
        message["From"] = f"{self._settings.association_name} <{self._settings.smtp_from}>"
        message["To"] = email.recipient
        message["Subject"] = email.subject
        message["Message-ID"] = message_id  # the same delivery always carries the same id
        message.set_content(email.text)
        message.add_alternative(email.html, subtype="html")
        s = self._settings
        await aiosmtplib.send(message, hostname=s.smtp_host, port=s.smtp_port, username=s.smtp_username,
                              password=s.smtp_password, start_tls=s.smtp_starttls, timeout=30)  # fmt: skip
