"""The idempotent consumer: apply an event's effect at most once per consumer.

The inbox row and the effect commit in one transaction. A redelivered event finds its row,
and the effect is skipped; a crash before the commit leaves neither, and the redelivery applies it.
"""

from collections.abc import Awaitable, Callable

import asyncpg

from convene_contracts import Event
from convene_delivery.postgres import Connection

Effect = Callable[[Connection], Awaitable[None]]


async def apply_once(pool: asyncpg.Pool, consumer: str, event: Event, effect: Effect) -> bool:
    """Runs `effect` inside the transaction that records `event`; False if it was already applied."""
    async with pool.acquire() as conn, conn.transaction():
        return await apply_once_in(conn, consumer, event, effect)


async def apply_once_in(conn: Connection, consumer: str, event: Event, effect: Effect) -> bool:
    """The same inside a transaction the caller holds (a batch of events in one commit)."""
    first_time = await conn.fetchval(
        """INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING true""",
        consumer,
        event.event_id,
        event.event_type,
    )
    if not first_time:
        return False
    await effect(conn)
    return True
