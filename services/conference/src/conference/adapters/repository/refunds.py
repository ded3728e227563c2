"""Refunds owed, issued or failed, and the log of Stripe's webhook events: both written in the
transaction of the change they belong to."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from conference.domain.refund import Refund, RefundStatus
from convene_delivery.postgres import Connection

# Due, unclaimed rows, oldest first; a claim moves next_attempt_at a lease ahead and counts the attempt.
_CLAIM = """
    WITH due AS (
        SELECT id FROM refunds
        WHERE status = 'owed' AND next_attempt_at <= $1 AND ($4::uuid IS NULL OR registration_id = $4)
        ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
    )
    UPDATE refunds r SET next_attempt_at = $1 + $2::interval, attempts = r.attempts + 1
    FROM due WHERE r.id = due.id RETURNING r.*"""

_SAVE = """
    UPDATE refunds SET status = $2, next_attempt_at = coalesce($3, next_attempt_at), stripe_refund_id = $4,
        last_error = $5, issued_at = $6
    WHERE id = $1"""


def _refund(row: Any) -> Refund:
    return Refund(
        id=row["id"],
        registration_id=row["registration_id"],
        payment_intent=row["payment_intent"],
        amount_minor=row["amount_minor"],
        reason=row["reason"],
        status=RefundStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        stripe_refund_id=row["stripe_refund_id"],
        last_error=row["last_error"],
        issued_at=row["issued_at"],
    )


class SqlRefunds:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, refund: Refund) -> None:
        await self._conn.execute(
            """INSERT INTO refunds (id, registration_id, payment_intent, amount_minor, reason)
               VALUES ($1, $2, $3, $4, $5)""",
            refund.id,
            refund.registration_id,
            refund.payment_intent,
            refund.amount_minor,
            refund.reason,
        )

    async def get(self, refund_id: UUID) -> Refund | None:
        row = await self._conn.fetchrow("SELECT * FROM refunds WHERE id = $1 FOR UPDATE", refund_id)
        return None if row is None else _refund(row)

    async def for_payment(self, payment_intent: str) -> Refund | None:
        row = await self._conn.fetchrow("SELECT * FROM refunds WHERE payment_intent = $1 FOR UPDATE", payment_intent)
        return None if row is None else _refund(row)

    async def claim(
        self, now: datetime, lease: timedelta, limit: int, registration_id: UUID | None = None
    ) -> list[Refund]:
        return [_refund(row) for row in await self._conn.fetch(_CLAIM, now, lease, limit, registration_id)]

    async def save(self, refund: Refund) -> None:
        await self._conn.execute(
            _SAVE,
            refund.id,
            refund.status.value,
            refund.next_attempt_at,
            refund.stripe_refund_id,
            refund.last_error,
            refund.issued_at,
        )


class SqlStripeEvents:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def first_time(self, event_id: str, event_type: str) -> bool:
        # In the effect's transaction: a crash before the commit forgets the event with the effect,
        # and a second delivery's insert waits on the unique index until the first one ends.
        first = await self._conn.fetchval(
            "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
            event_id,
            event_type,
        )
        return bool(first)
