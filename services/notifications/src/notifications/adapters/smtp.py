"""Sends rendered emails over SMTP with aiosmtplib, reusing one connection per sender worker
(N6: a backlog drains without a handshake per email). STARTTLS or implicit TLS and
authentication when configured. One email's whole exchange, connecting included, is bounded by
SMTP_TIMEOUT_SECONDS: the sender relies on it to finish every send inside its lease."""

import asyncio
from collections.abc import Sequence

import aiosmtplib

from notifications.adapters import mime
from notifications.config import NotificationsSettings
from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail


class SmtpConnection:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings
        self._client: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is None or not self._client.is_connected:
            s = self._settings
            # Certificates are always verified; SMTP_CA_FILE adds a private CA (an internal relay).
            ca = str(s.smtp_ca_file) if s.smtp_ca_file else None
            client = aiosmtplib.SMTP(hostname=s.smtp_host, port=s.smtp_port, use_tls=s.smtp_implicit_tls,
                                     start_tls=s.smtp_starttls, cert_bundle=ca,
                                     timeout=s.smtp_timeout_seconds)  # fmt: skip
            await client.connect()
            if s.smtp_username:
                await client.login(s.smtp_username, s.smtp_password or "")
            self._client = client
        return self._client

    async def send(self, email: RenderedEmail, message_id: str, headers: dict[str, str],
                   attachments: Sequence[Attachment] = ()) -> None:  # fmt: skip
        sender = (self._settings.association_name, self._settings.smtp_from)
        raw = mime.build(email, sender, message_id, headers, attachments)
        try:
            async with asyncio.timeout(self._settings.smtp_timeout_seconds):
                await self._sendmail(raw, email.recipient)
        except TimeoutError:
            self._drop()  # cut off mid-command: the connection's state is unknown
            raise

    async def _sendmail(self, raw: bytes, recipient: str) -> None:
        try:
            await (await self._connected()).sendmail(self._settings.smtp_from, [recipient], raw)
        except aiosmtplib.SMTPServerDisconnected:
            self._client = None  # the server closed an idle connection: once more on a fresh one
            await (await self._connected()).sendmail(self._settings.smtp_from, [recipient], raw)

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None

    async def close(self) -> None:
        if self._client is not None and self._client.is_connected:
            await self._client.quit()
        self._client = None
