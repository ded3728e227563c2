"""Holds that arrive together are read and written together (docs/benchmarks.md, B1).

Reads: the holds for one conference that arrive while a read is in flight share the next one (the
conference, its ticket types, and which of all their attendees are members).

Writes, for one person with one paid ticket: while one statement writes a batch of a pool's
holds, the holds that arrive for that pool wait, and the next statement writes them all. Each hold
is still all or nothing: its seat, registration, attendee, ticket and event are written by the
same statement or not at all. A hold that finds no seat in its batch (every shard with room busy,
or too few units left) gets False and goes through the general path, which waits for a busy shard
and decides "sold out"; so does every hold of a batch whose statement failed. The CHECK on
capacity_shards stays the guarantee against overselling.
"""

import logging
from uuid import UUID

import asyncpg
from asyncpg import Record

from conference.adapters.members import MEMBERS_AMONG
from conference.adapters.together import Together
from conference.service_layer.gateways import OneSeatHold
from convene_delivery.outbox import INSERT_OUTBOX_ROWS, OUTBOX_CHANNEL, trace_context_json
from convene_delivery.postgres import OUTAGES

log = logging.getLogger(__name__)
BATCH_LIMIT = 200  # holds per statement: enough for any rush, small enough to stay a short statement


# $1 the pool (the ticket type), $2 how many holds; $3-$16, $21 and $22 one array per column of the holds.
# The shards are locked SKIP LOCKED, at most one per hold, so a batch never waits for another;
# their free units are numbered across them, and the n-th hold takes the n-th unit.
_WRITE_BATCH = f"""
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
                    $10::text[], $11::jsonb[], $12::boolean[], $13::uuid[], $14::text[], $15::text[], $16::bytea[],
                    $21::text[], $22::jsonb[])
             WITH ORDINALITY AS h(registration_id, payer_name, payer_email, amount_minor, hold_expires_at,
                                  attendee_id, name, email, answers, member_pricing, event_id, event_type,
                                  message_key, body, client_address, trace_context, n)
        JOIN unit ON h.n > unit.after AND h.n <= unit.upto
    ), seat AS (
        UPDATE capacity_shards c SET taken = c.taken + t.units
        FROM (SELECT shard, count(*) AS units FROM hold GROUP BY shard) t
        WHERE c.pool_id = $1 AND c.shard = t.shard
    ), registration AS (
        INSERT INTO registrations (id, conference_id, status, payer_name, payer_email, amount_minor, currency,
                                   hold_expires_at, client_address)
        SELECT registration_id, $17, 'held', payer_name, payer_email, amount_minor, $18, hold_expires_at,
               client_address FROM hold
    ), attendee AS (
        INSERT INTO attendees (id, registration_id, name, email, answers, member_pricing)
        SELECT attendee_id, registration_id, name, email, answers, member_pricing FROM hold
    ), ticket AS (
        INSERT INTO attendee_tickets (attendee_id, ticket_type_id, price_minor, shards)
        SELECT attendee_id, $1, amount_minor, jsonb_build_array(jsonb_build_array($1::text, shard)) FROM hold
    ), event AS (
        {INSERT_OUTBOX_ROWS}
        SELECT event_id, event_type, $19, message_key, body, trace_context FROM hold
    )
    SELECT n, pg_notify($20, '') FROM hold"""  # noqa: S608 - constant fragments, no input


# The conference ($2), its ticket types and which of the attendees ($1: their addresses) are members.
_READ = f"""
    SELECT c.*, array(SELECT t FROM ticket_types t WHERE t.conference_id = c.id) AS ticket_types,
           array({MEMBERS_AMONG}) AS members
    FROM conferences c WHERE c.id = $2"""  # noqa: S608 - constant fragments, no input


class HoldBatches:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._reads: Together[UUID, list[str], Record | None] = Together(self._read_batch, BATCH_LIMIT)
        # Each hold with the trace context of the request that asked for it (None when untraced).
        self._writes: Together[UUID, tuple[OneSeatHold, str | None], bool] = Together(self._write_batch, BATCH_LIMIT)

    async def read(self, conference_id: UUID, emails: list[str]) -> Record | None:
        """The conference with `ticket_types` and `members` (those of `emails` who are), or None."""
        return await self._reads(conference_id, [e.lower() for e in emails])

    async def write(self, hold: OneSeatHold) -> bool:
        """True when the hold was written with its seat; False when it found none free."""
        # The context is taken here, in the request's own task: the batch runs in another one.
        return await self._writes(hold.ticket_type_id, (hold, trace_context_json()))

    async def _read_batch(self, conference_id: UUID, emails: list[list[str]]) -> list[Record | None]:
        row = await self._pool.fetchrow(_READ, sorted({e for each in emails for e in each}), conference_id)
        return [row] * len(emails)

    async def _write_batch(self, ticket_type_id: UUID, traced: list[tuple[OneSeatHold, str | None]]) -> list[bool]:
        holds = [hold for hold, _ in traced]
        try:
            rows = await self._pool.fetch(_WRITE_BATCH, *_arguments(holds), [context for _, context in traced])
        except OUTAGES:
            raise  # each hold answers 503, as it would alone
        except Exception:  # nothing was written: each hold tries alone, and the faulty one says why
            log.warning("a batch of %d holds failed; each is tried alone", len(holds), exc_info=True)
            return [False] * len(holds)
        seated = {row["n"] for row in rows}
        return [n in seated for n in range(1, len(holds) + 1)]


def _arguments(holds: list[OneSeatHold]) -> list[object]:
    first = holds[0]
    columns = [[getattr(h, name) for h in holds] for name in _COLUMNS]
    return [
        first.ticket_type_id,
        len(holds),
        *columns,
        first.conference_id,
        first.currency,
        first.topic,
        OUTBOX_CHANNEL,
        [h.client_address for h in holds],
    ]


_COLUMNS = (
    "registration_id",
    "payer_name",
    "payer_email",
    "amount_minor",
    "hold_expires_at",
    "attendee_id",
    "name",
    "email",
    "answers",
    "member_pricing",
    "event_id",
    "event_type",
    "message_key",
    "body",
)
