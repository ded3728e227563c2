"""The sender (N2, N6): claims due deliveries, sends each once, retries what can be retried.

Each delivery is sent inside its own transaction holding its row lock (FOR UPDATE SKIP LOCKED),
so several workers and several instances never send the same row; the row is marked sent in
that transaction right after the SMTP server accepts. The one window left: a crash between the
server's acceptance and that commit sends that email again after the restart.

A 4xx answer or a lost connection is retried with exponential backoff and jitter up to
SEND_MAX_ATTEMPTS; a 5xx answer is final. Either way a failed delivery publishes
`notification.failed`; a sent one `notification.sent`.
"""

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from datetime import timedelta
from typing import Any, Protocol

import aiosmtplib
import asyncpg

from convene_contracts import NOTIFICATIONS
from convene_contracts.notifications import (
    DeliveryPayload,
    NotificationFailed,
    NotificationFailedPayload,
    NotificationSent,
)
from convene_delivery.outbox import add_to_outbox
from convene_delivery.postgres import Connection
from notifications.config import NotificationsSettings
from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail
from notifications.service_layer.intake import DELIVERY_CHANNEL

log = logging.getLogger(__name__)


class Smtp(Protocol):
    async def send(self, email: RenderedEmail, message_id: str, headers: dict[str, str],
                   attachments: Sequence[Attachment] = ()) -> None: ...  # fmt: skip


class SendRate:
    """At most `per_second` sends across all workers: slots handed out one after another.
    The clock and the sleep are parameters so that tests can run the cap on a clock of their own."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = 1 / per_second
        self._clock, self._sleep = clock, sleep
        self._next = clock()

    async def wait(self) -> None:
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)


class Sender:
    def __init__(
        self, pool: asyncpg.Pool, settings: NotificationsSettings, smtp: list[Smtp], rate: SendRate | None = None
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._smtp = smtp  # one connection per worker
        self._rate = rate or SendRate(settings.send_rate_per_second)
        self._wake = asyncio.Event()

    async def run(self) -> None:
        listener = await asyncpg.connect(self._settings.database_url)
        try:
            await listener.add_listener(DELIVERY_CHANNEL, lambda *_: self._wake.set())
            await asyncio.gather(*(self._work(smtp) for smtp in self._smtp))
        finally:
            listener.terminate()

    async def _work(self, smtp: Smtp) -> None:
        while True:
            try:
                if await self.send_one(smtp):
                    continue
            except Exception:
                log.warning("sender pass failed", exc_info=True)
            self._wake.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._settings.sender_poll_seconds)

    async def send_one(self, smtp: Smtp) -> bool:
        """Sends (or retries, or fails) one due delivery; False when none is due."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(  # with its attachments: one round trip per claim
                """SELECT d.*, array(SELECT f FROM delivery_attachments f WHERE f.delivery_id = d.id) AS files
                   FROM deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                   ORDER BY d.next_attempt_at LIMIT 1 FOR UPDATE OF d SKIP LOCKED"""
            )
            if row is None:
                return False
            await self._rate.wait()
            email = RenderedEmail(row["template"], row["recipient"], row["subject"], row["body_text"], row["body_html"])
            attempts = row["attempts"] + 1
            files = [Attachment(f["filename"], f["content_type"], bytes(f["content"]), f["content_id"])
                     for f in row["files"]]  # fmt: skip
            try:
                await smtp.send(email, f"<{row['id']}@convene>", _headers(row["headers"]), files)
            except aiosmtplib.SMTPResponseException as error:
                await self._not_sent(conn, row, attempts, f"{error.code} {error.message}", permanent=error.code >= 500)
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                await self._not_sent(conn, row, attempts, f"{type(error).__name__}: {error}", permanent=False)
            else:
                await conn.execute(
                    "UPDATE deliveries SET status = 'sent', sent_at = now(), attempts = $2 WHERE id = $1",
                    row["id"], attempts,
                )  # fmt: skip
                await add_to_outbox(conn, NOTIFICATIONS, NotificationSent(
                    producer="notifications", correlation_id=row["event_id"], causation_id=row["event_id"],
                    payload=_payload(row, attempts)))  # fmt: skip
            return True

    async def _not_sent(self, conn: Connection, row: Any, attempts: int, error: str, permanent: bool) -> None:
        if permanent or attempts >= self._settings.send_max_attempts:
            await conn.execute(
                "UPDATE deliveries SET status = 'failed', failed_at = now(), attempts = $2, last_error = $3"
                " WHERE id = $1", row["id"], attempts, error,
            )  # fmt: skip
            await add_to_outbox(conn, NOTIFICATIONS, NotificationFailed(
                producer="notifications", correlation_id=row["event_id"], causation_id=row["event_id"],
                payload=NotificationFailedPayload(**_payload(row, attempts).model_dump(), error=error,
                                                  permanent=permanent)))  # fmt: skip
            return
        ceiling = self._settings.send_backoff_seconds * 2 ** (attempts - 1)
        delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not secrecy
        await conn.execute(
            "UPDATE deliveries SET attempts = $2, last_error = $3, next_attempt_at = now() + $4 WHERE id = $1",
            row["id"], attempts, error, timedelta(seconds=delay),
        )  # fmt: skip


def _headers(raw: Any) -> dict[str, str]:
    return dict(json.loads(raw)) if isinstance(raw, str) else dict(raw or {})


def _payload(row: Any, attempts: int) -> DeliveryPayload:
    return DeliveryPayload(delivery_id=row["id"], event_id=row["event_id"], event_type=row["event_type"],
                           template=row["template"], attempts=attempts)  # fmt: skip
