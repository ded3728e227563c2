"""Dues payments (M7, M11) and the Stripe events applied to them, each recorded once."""

from datetime import datetime
from typing import Any
from uuid import UUID

from membership.adapters.transaction import Transaction


class SqlPayments:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def reference_exists(self, reference: str) -> bool:
        found: bool = await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM dues_payments WHERE reference = $1)", reference
        )
        return found

    async def add(
        self,
        payment_id: UUID,
        membership_id: UUID,
        amount_minor: int,
        currency: str,
        method: str,
        reference: str,
        paid_at: datetime,
        kind: str = "join",
        payment_intent: str | None = None,
    ) -> bool:
        """Records a payment once per reference; False if that reference was recorded before."""
        inserted = await self.conn.fetchval(
            """INSERT INTO dues_payments (id, membership_id, amount_minor, currency, method, reference, paid_at,
                                          kind, stripe_payment_intent)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (reference) DO NOTHING RETURNING true""",
            payment_id,
            membership_id,
            amount_minor,
            currency,
            method,
            reference,
            paid_at,
            kind,
            payment_intent,
        )
        return bool(inserted)

    async def record_refund(self, payment_intent: str, refunded_minor: int) -> None:
        await self.conn.execute(
            "UPDATE dues_payments SET refunded_minor = greatest(refunded_minor, $2) WHERE stripe_payment_intent = $1",
            payment_intent,
            refunded_minor,
        )

    async def of_member(self, member_id: UUID) -> list[dict[str, Any]]:
        rows = await self.conn.fetch(
            """SELECT p.id, p.membership_id, p.amount_minor, p.currency, p.method, p.kind, p.reference, p.paid_at,
                      p.refunded_minor, l.name AS level_name
               FROM dues_payments p JOIN memberships m ON m.id = p.membership_id JOIN levels l ON l.id = m.level_id
               WHERE m.member_id = $1 ORDER BY p.paid_at""",
            member_id,
        )
        return [dict(row) for row in rows]

    async def record_stripe_event(self, event_id: str, event_type: str) -> bool:
        """False when this Stripe event was applied before (a repeated delivery)."""
        inserted = await self.conn.fetchval(
            "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
            event_id,
            event_type,
        )
        return bool(inserted)
