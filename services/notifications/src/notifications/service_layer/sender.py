"""The sender (N2, N6): claims due deliveries, sends each once, retries what can be retried.

A worker claims a few due deliveries at once, with their attachments, in one statement: it
locks them with FOR UPDATE SKIP LOCKED, stamps them with a claim of its own and moves their
`next_attempt_at` one lease (SEND_LEASE_SECONDS) ahead, so no other worker or instance takes
them while it sends. Each one the SMTP server accepts is then marked sent, with its
`notification.sent` event, in one statement that holds only while the claim is still this
worker's. Five round trips to Postgres per email became about one (docs/benchmarks.md, B4).

No email is sent after its lease could have run out: a send is bounded by SMTP_TIMEOUT_SECONDS,
and a worker starts one only while two of those are left of its lease; what it cannot start in
time it hands back. A crash leaves its claimed emails due again when their lease ends. The one
window left is as before: a crash between the server's acceptance and the "sent" statement sends
that email again.

A 4xx answer or a lost connection is retried with exponential backoff and jitter up to
SEND_MAX_ATTEMPTS; a 5xx answer is final. Either way a failed delivery publishes
`notification.failed`; a sent one `notification.sent`.
"""

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from datetime import timedelta
from operator import itemgetter
from typing import Any, Protocol
from uuid import UUID, uuid4

import aiosmtplib
import asyncpg

from convene_contracts import NOTIFICATIONS
from convene_contracts.notifications import (
    DeliveryPayload,
    NotificationFailed,
    NotificationFailedPayload,
    NotificationSent,
)
from convene_delivery.backoff import backoff_delay
from convene_delivery.outbox import INSERT_OUTBOX_ROWS, OUTBOX_CHANNEL, add_to_outbox, outbox_values
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


CLAIM_LIMIT = 16  # emails per claim: one round trip shared by many, and few held back by a crash

# Up to $3 due deliveries, oldest first, for claim $1 and a lease of $2; with their attachments.
_CLAIM = """
    WITH due AS (
        SELECT id, next_attempt_at FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
    )
    UPDATE deliveries d SET claim = $1, next_attempt_at = now() + $2::interval FROM due WHERE d.id = due.id
    RETURNING d.*, due.next_attempt_at AS due_at,
              array(SELECT f FROM delivery_attachments f WHERE f.delivery_id = d.id) AS files"""

# Delivery $1 sent on attempt $3, if claim $2 still holds it; with its event ($4-$8) and the NOTIFY.
# Only pending rows carry a claim, so the claim alone is the test: a `status` condition would
# tempt the planner onto the partial index of pending rows, which a backlog fills with dead entries.
_SENT = f"""
    WITH sent AS (
        UPDATE deliveries SET status = 'sent', sent_at = now(), attempts = $3, claim = NULL
        WHERE id = $1 AND claim = $2 RETURNING id
    ), event AS (
        {INSERT_OUTBOX_ROWS}
        SELECT $4, $5, $6, $7, $8 FROM sent RETURNING event_id
    )
    SELECT pg_notify($9, '') FROM event"""  # noqa: S608 - constant fragments, no input

# What a claim could not send in time goes back, due when it was due.
_HAND_BACK = """
    UPDATE deliveries d SET claim = NULL, next_attempt_at = back.due_at
    FROM unnest($2::uuid[], $3::timestamptz[]) AS back(id, due_at)
    WHERE d.id = back.id AND d.claim = $1"""


class Sender:
    def __init__(
        self, pool: asyncpg.Pool, settings: NotificationsSettings, smtp: list[Smtp], rate: SendRate | None = None
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._smtp = smtp  # one connection per worker
        self._rate = rate or SendRate(settings.send_rate_per_second)
        self._wake = asyncio.Event()
        # Under a low send cap a big claim would only wait: each worker claims about a second's worth.
        self._claim_limit = max(1, min(CLAIM_LIMIT, int(settings.send_rate_per_second / len(smtp))))
        self._lease = timedelta(seconds=settings.send_lease_seconds)
        # Starting a send later than this after claiming could outlast the lease: see the module's doc.
        self._sending_window = settings.send_lease_seconds - 2 * settings.smtp_timeout_seconds

    async def run(self) -> None:
        listener = await asyncpg.connect(self._settings.database_url)
        try:
            await listener.add_listener(DELIVERY_CHANNEL, lambda *_: self._wake.set())
            await asyncio.gather(*(self._work(smtp) for smtp in self._smtp))
        finally:
            listener.terminate()

    async def _work(self, smtp: Smtp) -> None:
        while True:
            # Cleared before looking, not after finding nothing: a NOTIFY that arrives while this
            # pass looks would otherwise be lost and its email wait for the next poll.
            self._wake.clear()
            try:
                if await self.send_due(smtp):
                    continue
            except Exception:
                log.warning("sender pass failed", exc_info=True)
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._settings.sender_poll_seconds)

    async def send_due(self, smtp: Smtp) -> bool:
        """Claims due deliveries and sends (or retries, or fails) each; False when none is due."""
        claim, claimed_at = uuid4(), time.monotonic()
        rows = sorted(await self._pool.fetch(_CLAIM, claim, self._lease, self._claim_limit), key=itemgetter("due_at"))
        if not rows:
            return False
        try:
            while rows:
                await self._rate.wait()
                if time.monotonic() - claimed_at > self._sending_window:
                    break
                await self._send(smtp, claim, rows[0])
                rows.pop(0)
        finally:
            if rows:  # out of time, a failure, or shutting down
                await self._pool.execute(_HAND_BACK, claim, [r["id"] for r in rows], [r["due_at"] for r in rows])
        return True

    async def _send(self, smtp: Smtp, claim: UUID, row: Any) -> None:
        email = RenderedEmail(row["template"], row["recipient"], row["subject"], row["body_text"], row["body_html"])
        attempts = row["attempts"] + 1
        files = [Attachment(f["filename"], f["content_type"], bytes(f["content"]), f["content_id"])
                 for f in row["files"]]  # fmt: skip
        try:
            await smtp.send(email, f"<{row['id']}@convene>", _headers(row["headers"]), files)
        except aiosmtplib.SMTPResponseException as error:
            await self._not_sent(claim, row, attempts, f"{error.code} {error.message}", permanent=error.code >= 500)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            await self._not_sent(claim, row, attempts, f"{type(error).__name__}: {error}", permanent=False)
        else:
            sent = NotificationSent(producer="notifications", correlation_id=row["event_id"],
                                    causation_id=row["event_id"], payload=_payload(row, attempts))  # fmt: skip
            if not await self._pool.fetch(_SENT, row["id"], claim, attempts, *outbox_values(NOTIFICATIONS, sent),
                                          OUTBOX_CHANNEL):  # fmt: skip
                # An operator queued it again (it goes once more), or its person was erased meanwhile.
                log.warning("delivery %s was sent after its claim ended", row["id"])

    async def _not_sent(self, claim: UUID, row: Any, attempts: int, error: str, permanent: bool) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            if permanent or attempts >= self._settings.send_max_attempts:
                failed = await conn.fetchval(
                    """UPDATE deliveries SET status = 'failed', failed_at = now(), attempts = $2, last_error = $3,
                           claim = NULL WHERE id = $1 AND claim = $4 RETURNING id""",
                    row["id"], attempts, error, claim,
                )  # fmt: skip
                if failed is not None:
                    await add_to_outbox(conn, NOTIFICATIONS, NotificationFailed(
                        producer="notifications", correlation_id=row["event_id"], causation_id=row["event_id"],
                        payload=NotificationFailedPayload(**_payload(row, attempts).model_dump(), error=error,
                                                          permanent=permanent)))  # fmt: skip
                return
            delay = backoff_delay(attempts, self._settings.send_backoff_seconds)
            await conn.execute(
                """UPDATE deliveries SET attempts = $2, last_error = $3, next_attempt_at = now() + $4, claim = NULL
                   WHERE id = $1 AND claim = $5""",
                row["id"], attempts, error, timedelta(seconds=delay), claim,
            )  # fmt: skip


def _headers(raw: Any) -> dict[str, str]:
    return dict(json.loads(raw)) if isinstance(raw, str) else dict(raw or {})


def _payload(row: Any, attempts: int) -> DeliveryPayload:
    return DeliveryPayload(delivery_id=row["id"], event_id=row["event_id"], event_type=row["event_type"],
                           template=row["template"], attempts=attempts)  # fmt: skip
