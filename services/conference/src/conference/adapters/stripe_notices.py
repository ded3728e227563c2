"""Stripe's webhook events: each applied once (the row says it was seen), and the refunds Stripe
reports. One statement each, outside any transaction, as the webhook's path is timed (B3)."""

import asyncpg


class StripeNotices:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def first_time(self, event_id: str, event_type: str) -> bool:
        first = await self._pool.fetchval(
            "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
            event_id,
            event_type,
        )
        return bool(first)

    async def forget(self, event_id: str) -> None:
        """So that Stripe's retry of an event whose effect failed is applied."""
        await self._pool.execute("DELETE FROM stripe_events WHERE id = $1", event_id)

    async def refunded(self, payment_intent: str, amount_refunded_minor: int) -> None:
        await self._pool.execute(
            "UPDATE registrations SET refunded_minor = greatest(refunded_minor, $2) WHERE payment_intent = $1",
            payment_intent,
            amount_refunded_minor,
        )
