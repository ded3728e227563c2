"""Sends rendered emails over SMTP with aiosmtplib, reusing one connection per sender worker
(N6: a backlog drains without a handshake per email). STARTTLS or implicit TLS and
authentication when configured. One email's whole exchange, connecting included, is bounded by
SMTP_TIMEOUT_SECONDS: the sender relies on it to finish every send inside its lease.

A connection that failed in the middle of an email is never used to try that email again at
once: the server may have taken it before the connection went, so the failure goes back to the
sender as a retryable one (its backoff, its attempt count, its last error in the delivery log).
Servers close connections left idle, so one unused for IDLE_CHECK_SECONDS is checked with a
NOOP before it carries an email."""

import asyncio
import time
from collections.abc import Sequence

import aiosmtplib

from notifications.adapters import mime
from notifications.config import NotificationsSettings
from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail
from notifications.domain.errors import EmailNotSent

IDLE_CHECK_SECONDS = 10.0


class SmtpConnection:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings
        self._client: aiosmtplib.SMTP | None = None
        self._last_used = 0.0

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and time.monotonic() - self._last_used > IDLE_CHECK_SECONDS:
            try:
                await self._client.noop()
            except (aiosmtplib.SMTPException, OSError):
                self._drop()  # closed while idle: a fresh one below
        if self._client is None or not self._client.is_connected:
            s = self._settings
            # Certificates are always verified; SMTP_CA_FILE adds a private CA (an internal relay).
            ca = str(s.smtp_ca_file) if s.smtp_ca_file else None
            client = aiosmtplib.SMTP(
                hostname=s.smtp_host,
                port=s.smtp_port,
                use_tls=s.smtp_implicit_tls,
                start_tls=s.smtp_starttls,
                cert_bundle=ca,
                timeout=s.smtp_timeout_seconds,
            )
            await client.connect()
            if s.smtp_username:
                await client.login(s.smtp_username, s.smtp_password or "")
            self._client = client
        return self._client

    async def send(
        self, email: RenderedEmail, message_id: str, headers: dict[str, str], attachments: Sequence[Attachment] = ()
    ) -> None:
        sender = (self._settings.association_name, self._settings.smtp_from)
        raw = mime.build(email, sender, message_id, headers, attachments)
        try:
            async with asyncio.timeout(self._settings.smtp_timeout_seconds):
                client = await self._connected()
                await client.sendmail(self._settings.smtp_from, [email.recipient], raw)
        except OSError:  # a timeout or a lost connection (aiosmtplib's "disconnected" is one too)
            self._drop()  # cut off mid-exchange: the connection's state is unknown
            raise
        finally:
            self._last_used = time.monotonic()

    async def deliver(
        self, email: RenderedEmail, message_id: str, headers: dict[str, str], attachments: Sequence[Attachment] = ()
    ) -> None:
        """`send`, with the server's refusal told in the service's words (EmailNotSent)."""
        try:
            await self.send(email, message_id, headers, attachments)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise not_sent(error) from error

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None

    async def close(self) -> None:
        if self._client is not None and self._client.is_connected:
            await self._client.quit()
        self._client = None


def not_sent(error: Exception) -> EmailNotSent:
    """A 5xx answer is final; a 4xx answer, a lost connection or a timeout is worth another try."""
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return EmailNotSent(f"{error.code} {error.message}", permanent=error.code >= 500)
    return EmailNotSent(f"{type(error).__name__}: {error}", permanent=False)
