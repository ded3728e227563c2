"""Holds of one person and one paid ticket that arrive together are written together (B1).

While one statement writes a batch of a pool's holds, the holds that arrive for that pool wait;
when it commits, the next statement takes all of them. Like a group commit: a rush costs one
round trip and one commit per batch instead of per hold, and a quiet moment a batch of one.

Each hold is still all or nothing: its seat, registration, attendee, ticket and event are written
by the same statement or not at all. A hold that finds no seat in its batch (every shard with room
busy, or too few units left) gets False and goes through the general path, which waits for a busy
shard and decides "sold out". The CHECK on capacity_shards stays the guarantee against overselling.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

import asyncpg

from convene_delivery.outbox import OUTBOX_CHANNEL
from convene_delivery.postgres import OUTAGES

log = logging.getLogger(__name__)
BATCH_LIMIT = 200  # holds per statement: enough for any rush, small enough to stay a short statement


@dataclass(frozen=True)
class OneSeatHold:
    """Everything written for one person with one ticket of pool `ticket_type_id`."""

    ticket_type_id: UUID
    conference_id: UUID
    currency: str
    registration_id: UUID
    payer_name: str
    payer_email: str
    amount_minor: int
    hold_expires_at: datetime
    attendee_id: UUID
    name: str
    email: str
    answers: str  # JSON
    member_pricing: bool
    event_id: UUID
    event_type: str
    topic: str
    message_key: str
    body: bytes


# $1 the pool (the ticket type), $2 how many holds; $3-$16 one array per column of the holds.
# The shards are locked SKIP LOCKED, at most one per hold, so a batch never waits for another;
# their free units are numbered across them, and the n-th hold takes the n-th unit.
_WRITE_BATCH = """
    WITH free AS (
        SELECT shard, capacity - taken AS room FROM capacity_shards
        WHERE pool_id = $1 AND taken < capacity
        ORDER BY random() LIMIT $2
        FOR UPDATE SKIP LOCKED
    ), unit AS (
        SELECT shard, sum(room) OVER (ORDER BY shard) - room AS after, sum(room) OVER (ORDER BY shard) AS upto
        FROM free
    ), hold AS (
        SELECT h.*, unit.shard
        FROM unnest($3::uuid[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[], $8::uuid[], $9::text[],
                    $10::text[], $11::jsonb[], $12::boolean[], $13::uuid[], $14::text[], $15::text[], $16::bytea[])
             WITH ORDINALITY AS h(registration_id, payer_name, payer_email, amount_minor, hold_expires_at,
                                  attendee_id, name, email, answers, member_pricing, event_id, event_type,
                                  message_key, body, n)
        JOIN unit ON h.n > unit.after AND h.n <= unit.upto
    ), seat AS (
        UPDATE capacity_shards c SET taken = c.taken + t.units
        FROM (SELECT shard, count(*) AS units FROM hold GROUP BY shard) t
        WHERE c.pool_id = $1 AND c.shard = t.shard
    ), registration AS (
        INSERT INTO registrations (id, conference_id, status, payer_name, payer_email, amount_minor, currency,
                                   hold_expires_at)
        SELECT registration_id, $17, 'held', payer_name, payer_email, amount_minor, $18, hold_expires_at FROM hold
    ), attendee AS (
        INSERT INTO attendees (id, registration_id, name, email, answers, member_pricing)
        SELECT attendee_id, registration_id, name, email, answers, member_pricing FROM hold
    ), ticket AS (
        INSERT INTO attendee_tickets (attendee_id, ticket_type_id, price_minor, shards)
        SELECT attendee_id, $1, amount_minor, jsonb_build_array(jsonb_build_array($1::text, shard)) FROM hold
    ), event AS (
        INSERT INTO outbox (event_id, event_type, topic, message_key, body)
        SELECT event_id, event_type, $19, message_key, body FROM hold
    )
    SELECT n, pg_notify($20, '') FROM hold"""


@dataclass
class HoldBatches:
    _waiting: dict[UUID, list[tuple[OneSeatHold, asyncio.Future[bool]]]] = field(default_factory=dict)
    _writers: dict[UUID, asyncio.Task[None]] = field(default_factory=dict)

    async def write(self, pool: asyncpg.Pool, hold: OneSeatHold) -> bool:
        """True when the hold was written with its seat; False when it found none free."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(hold.ticket_type_id, []).append((hold, done))
        if hold.ticket_type_id not in self._writers:
            self._writers[hold.ticket_type_id] = asyncio.create_task(self._write_all(pool, hold.ticket_type_id))
        return await done

    async def _write_all(self, pool: asyncpg.Pool, ticket_type_id: UUID) -> None:
        try:
            while waiting := self._waiting.pop(ticket_type_id, []):
                for start in range(0, len(waiting), BATCH_LIMIT):
                    await self._write_batch(pool, waiting[start : start + BATCH_LIMIT])
        finally:
            del self._writers[ticket_type_id]

    async def _write_batch(self, pool: asyncpg.Pool, batch: list[tuple[OneSeatHold, asyncio.Future[bool]]]) -> None:
        holds = [hold for hold, _ in batch]
        try:
            rows = await pool.fetch(_WRITE_BATCH, *_arguments(holds))
        except asyncio.CancelledError:  # the service is stopping: nobody waits for an answer forever
            for _, done in batch:
                done.cancel()
            raise
        except OUTAGES as outage:  # each hold answers 503, as it would alone
            for _, done in batch:
                if not done.done():
                    done.set_exception(outage)
            return
        except Exception:  # nothing was written: each hold tries alone, and the faulty one says why
            log.warning("a batch of %d holds failed; each is tried alone", len(batch), exc_info=True)
            seated: set[int] = set()
        else:
            seated = {row["n"] for row in rows}
        for n, (_, done) in enumerate(batch, start=1):
            if not done.done():
                done.set_result(n in seated)


def _arguments(holds: list[OneSeatHold]) -> list[object]:
    first = holds[0]
    columns = [[getattr(h, name) for h in holds] for name in _COLUMNS]
    return [first.ticket_type_id, len(holds), *columns, first.conference_id, first.currency, first.topic,
            OUTBOX_CHANNEL]  # fmt: skip


_COLUMNS = ("registration_id", "payer_name", "payer_email", "amount_minor", "hold_expires_at", "attendee_id", "name",
            "email", "answers", "member_pricing", "event_id", "event_type", "message_key", "body")  # fmt: skip
