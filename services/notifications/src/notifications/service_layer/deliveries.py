"""Owing and sending emails: exactly one delivery row per fact, sent once.

The delivery row is written in the transaction that records the event in the inbox, so a
redelivered event finds both and sends nothing new. Sending holds the row's lock and marks it
sent right after the SMTP server accepts: a crash between those two steps is the one window
in which a person can get the same email twice (the sweeper resends rows left pending).
"""

import logging
from typing import Protocol
from uuid import UUID, uuid4

import asyncpg

from convene_contracts import Event
from convene_delivery.inbox import apply_once
from convene_delivery.postgres import Connection
from notifications.domain.email import RenderedEmail

log = logging.getLogger(__name__)
CONSUMER = "notifications"


class Sender(Protocol):
    async def send(self, email: RenderedEmail, message_id: str) -> None: ...


async def owe_email(pool: asyncpg.Pool, event: Event, email: RenderedEmail) -> UUID | None:
    """Records the event and the delivery it calls for; None if the event was seen before."""
    delivery_id = uuid4()

    async def write_delivery(conn: Connection) -> None:
        await conn.execute(
            """INSERT INTO deliveries (id, event_id, template, recipient, subject, body_text, body_html)
               VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            delivery_id, event.event_id, email.template, email.recipient, email.subject, email.text, email.html,
        )  # fmt: skip

    return delivery_id if await apply_once(pool, CONSUMER, event, write_delivery) else None


async def send_delivery(pool: asyncpg.Pool, sender: Sender, delivery_id: UUID) -> bool:
    """Sends one pending delivery; False if it is not pending or another sender holds it."""
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            "SELECT * FROM deliveries WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED", delivery_id
        )
        if row is None:
            return False
        email = RenderedEmail(row["template"], row["recipient"], row["subject"], row["body_text"], row["body_html"])
        await sender.send(email, message_id=f"<{delivery_id}@convene>")
        await conn.execute(
            "UPDATE deliveries SET status = 'sent', sent_at = now(), attempts = attempts + 1 WHERE id = $1",
            delivery_id,
        )
        return True


async def send_overdue(pool: asyncpg.Pool, sender: Sender, older_than_seconds: float) -> int:
    """Sends deliveries left pending by a crash or an SMTP outage; returns how many went out."""
    ids = await pool.fetch(
        "SELECT id FROM deliveries WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1)"
        " ORDER BY created_at LIMIT 100",
        older_than_seconds,
    )
    sent = 0
    for row in ids:
        try:
            sent += await send_delivery(pool, sender, row["id"])
        except Exception:
            log.warning("delivery %s still cannot be sent", row["id"], exc_info=True)
            await pool.execute(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                row["id"], "send failed; will retry",
            )  # fmt: skip
    return sent
