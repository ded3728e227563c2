"""Holds written together (adapters/hold_batches.py): each one all or nothing, never more
seats than the pool has free, and a failed batch writes nothing and sends each hold on alone."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from conference.adapters.hold_batches import HoldBatches
from conference.service_layer.gateways import OneSeatHold
from convene_contracts import CONFERENCE
from tests.support.samples import sample_events

from .conftest import Conference
from .pages import member, signed_in_as


def one_seat(ticket_type_id: str, conference_id: str, registration_id: UUID | None = None) -> OneSeatHold:
    email = f"b-{uuid4().hex[:8]}@example.org"
    event = sample_events(email)["conference.registration_held"]
    return OneSeatHold(
        UUID(ticket_type_id),
        UUID(conference_id),
        "usd",
        registration_id or uuid4(),
        "Pat",
        email,
        45000,
        datetime.now(UTC) + timedelta(minutes=15),
        uuid4(),
        "Pat",
        email,
        "{}",
        False,
        event.event_id,
        event.event_type,
        CONFERENCE,
        event.aggregate_id(),
        event.model_dump_json().encode(),
    )


async def test_five_holds_arriving_together_for_three_free_seats_seat_exactly_three(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=3)
    pool = conference.pool
    assert await HoldBatches(pool).write(one_seat(ticket, conference_id))
    batches = HoldBatches(pool)
    together = await asyncio.gather(*(batches.write(one_seat(ticket, conference_id)) for _ in range(5)))
    assert sorted(together) == [False, False, False, True, True]  # two seats were left after the first
    assert await pool.fetchval("SELECT sum(taken) FROM capacity_shards WHERE pool_id = $1", UUID(ticket)) == 3
    assert await pool.fetchval("SELECT count(*) FROM registrations") == 3
    assert await pool.fetchval("SELECT count(*) FROM attendee_tickets") == 3
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'conference.registration_held'") == 3
    shards = await pool.fetch("SELECT shards FROM attendee_tickets")
    assert all(ticket in row["shards"] for row in shards)


async def test_a_batch_that_fails_writes_nothing_and_answers_each_hold_false(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=10)
    pool = conference.pool
    taken = uuid4()
    assert await HoldBatches(pool).write(one_seat(ticket, conference_id, registration_id=taken))
    batches = HoldBatches(pool)
    holds = [one_seat(ticket, conference_id), one_seat(ticket, conference_id, registration_id=taken)]
    assert await asyncio.gather(*(batches.write(h) for h in holds)) == [False, False]
    assert await pool.fetchval("SELECT count(*) FROM registrations") == 1
    assert await pool.fetchval("SELECT sum(taken) FROM capacity_shards WHERE pool_id = $1", UUID(ticket)) == 1


async def test_members_and_others_registering_at_once_each_get_their_own_price(conference: Conference) -> None:
    """Their holds share one read of who is a member; each still gets the price that is theirs."""
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, member_price_minor=30000, non_member_price_minor=45000)
    members = [await member(conference, sign_in=False) for _ in range(5)]
    others = [f"o-{uuid4().hex[:8]}@example.org" for _ in range(5)]
    path = f"/conferences/{conference_id}/registrations"

    def body(email: str) -> dict[str, object]:
        person = {"name": "Pat", "email": email, "ticket_type_ids": [ticket]}
        return {"payer_name": "Pat", "payer_email": email, "attendees": [person]}

    # Each member is signed in (their own session), which is what proves the member price.
    answers = await asyncio.gather(
        *(conference.client.post(path, json=body(e), headers=signed_in_as(conference, e)) for e in members),
        *(conference.client.post(path, json=body(e)) for e in others),
    )
    amounts = [a.json()["amount_minor"] for a in answers]
    assert amounts == [30000] * 5 + [45000] * 5


async def test_holds_written_together_each_keep_the_trace_of_their_own_request(conference: Conference) -> None:
    """As every other outbox write does (convene_delivery.tracing): each hold's event row keeps the
    trace context of the request that asked for it, though one statement wrote them all."""
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=10)
    batches = HoldBatches(conference.pool)

    async def in_a_trace(trace_id: int) -> bool:  # a task of its own, as each request is
        span = NonRecordingSpan(SpanContext(trace_id, 0x00F067AA0BA902B7, is_remote=False, trace_flags=TraceFlags(1)))
        with trace.use_span(span):
            return await batches.write(one_seat(ticket, conference_id))

    traces = [0x4BF92F3577B34DA6A3CE929D0E0E4736 + n for n in range(3)]
    assert await asyncio.gather(*map(in_a_trace, traces)) == [True] * 3
    stored = await conference.pool.fetch(
        "SELECT trace_context->>'traceparent' AS parent FROM outbox WHERE event_type = 'conference.registration_held'"
    )
    assert sorted(int(row["parent"].split("-")[1], 16) for row in stored) == traces
