"""The idempotent consumer: apply an event's effect at most once per consumer.

The inbox row and the effect commit in one transaction. A redelivered event finds its row,
and the effect is skipped; a crash before the commit leaves neither, and the redelivery applies it.
"""

from collections.abc import Awaitable, Callable, Sequence

import asyncpg

from convene_contracts import Event
from convene_delivery.postgres import Connection

Effect = Callable[[Connection], Awaitable[None]]


async def apply_once(pool: asyncpg.Pool, consumer: str, event: Event, effect: Effect) -> bool:
    """Runs `effect` inside the transaction that records `event`; False if it was already applied."""
    async with pool.acquire() as conn, conn.transaction():
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


async def first_time_in(conn: Connection, consumer: str, events: Sequence[Event]) -> list[Event]:
    """Records a batch of events in one statement, inside the caller's transaction; the ones not
    applied before, in their order, each once. The caller applies their effects before it commits."""
    new = {
        row["event_id"]
        for row in await conn.fetch(
            """INSERT INTO inbox (consumer, event_id, event_type)
               SELECT $1, e.id, e.type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
               ON CONFLICT DO NOTHING RETURNING event_id""",
            consumer,
            [e.event_id for e in events],
            [e.event_type for e in events],
        )
    }
    first: list[Event] = []
    for event in events:
        if event.event_id in new:
            new.discard(event.event_id)  # the same event twice in one batch is applied once
            first.append(event)
    return first
