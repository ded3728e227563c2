"""Never oversell (reliability properties 13 and 15), and a negative control that shows these
tests do see an oversell when the guard is off."""

import asyncio
import dataclasses
from collections import Counter
from uuid import UUID

from conference.adapters.capacity import available
from conference.adapters.unit_of_work import PostgresUnitOfWork
from convene_delivery.postgres import Connection

from .conftest import OPERATOR, Conference


async def rush(
    conference: Conference, conference_id: str, ticket_type_id: str, people: int, **overrides: object
) -> Counter[int]:
    answers = await asyncio.gather(
        *(
            conference.register(conference_id, [ticket_type_id], email=f"rush-{i}@example.org", **overrides)
            for i in range(people)
        )
    )
    return Counter(a.status_code for a in answers)


async def test_500_people_racing_for_100_seats_get_exactly_100(conference: Conference) -> None:
    conference_id = await conference.conference()
    free = await conference.ticket_type(conference_id, capacity=100, member_price_minor=0, non_member_price_minor=0)
    outcomes = await rush(conference, conference_id, free, people=500)
    assert outcomes == Counter({201: 100, 409: 400})
    pool = conference.pool
    assert await pool.fetchval("SELECT count(*) FROM registrations WHERE status = 'confirmed'") == 100
    async with pool.acquire() as conn:
        assert await available(conn, UUID(free)) == 0


async def test_500_people_racing_for_100_paid_seats_hold_exactly_100_each_with_its_event(
    conference: Conference,
) -> None:
    """Paid single tickets take the one-statement hold (adapters/hold_batches.py)."""
    conference_id = await conference.conference()
    paid = await conference.ticket_type(conference_id, capacity=100)
    outcomes = await rush(conference, conference_id, paid, people=500)
    assert outcomes == Counter({201: 100, 409: 400})
    pool = conference.pool
    assert await pool.fetchval("SELECT sum(taken) FROM capacity_shards WHERE pool_id = $1", UUID(paid)) == 100
    held = await pool.fetch("SELECT id FROM registrations WHERE status = 'held'")
    assert len(held) == 100
    assert await pool.fetchval("SELECT count(*) FROM attendee_tickets WHERE ticket_type_id = $1", UUID(paid)) == 100
    events = await pool.fetch("SELECT message_key FROM outbox WHERE event_type = 'conference.registration_held'")
    assert sorted(e["message_key"] for e in events) == sorted(str(r["id"]) for r in held)


async def test_a_hold_waits_for_busy_shards_instead_of_answering_sold_out(conference: Conference) -> None:
    """Every shard with room locked by holds in flight: the one-statement hold finds none free
    and the hold waits in the general path until one is released."""
    conference_id = await conference.conference()
    paid = await conference.ticket_type(conference_id, capacity=100)
    async with conference.pool.acquire() as blocker, blocker.transaction():
        await blocker.execute("SELECT 1 FROM capacity_shards WHERE pool_id = $1 FOR UPDATE", UUID(paid))
        pending = asyncio.create_task(conference.register(conference_id, [paid]))
        await asyncio.sleep(0.5)
        assert not pending.done()  # neither sold out nor held while every shard is busy
    response = await pending
    assert response.status_code == 201, response.text
    assert await conference.pool.fetchval("SELECT count(*) FROM registrations") == 1


async def test_the_whole_conferences_capacity_holds_across_ticket_types(conference: Conference) -> None:
    conference_id = await conference.conference(capacity=30)
    day_one = await conference.ticket_type(conference_id, capacity=25, member_price_minor=0, non_member_price_minor=0)
    day_two = await conference.ticket_type(conference_id, capacity=25, member_price_minor=0, non_member_price_minor=0)
    first, second = await asyncio.gather(
        rush(conference, conference_id, day_one, 40), rush(conference, conference_id, day_two, 40)
    )
    assert first[201] + second[201] == 30
    assert first[201] <= 25
    assert second[201] <= 25


async def test_a_code_with_10_uses_used_by_100_at_once_is_used_10_times(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=1000, member_price_minor=0, non_member_price_minor=0)
    made = await conference.client.post(
        f"/conferences/{conference_id}/discount-codes",
        json={"code": "EARLY10", "percent_off": 10, "max_uses": 10},
        headers=OPERATOR,
    )
    assert made.status_code == 201, made.text
    outcomes = await rush(conference, conference_id, ticket, people=100, discount_code="early10")
    assert outcomes == Counter({201: 10, 422: 90})
    assert await conference.pool.fetchval("SELECT used FROM discount_codes") == 10


async def test_a_group_takes_every_seat_or_none(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=2, member_price_minor=0, non_member_price_minor=0)
    group = [{"name": f"Officer {i}", "email": f"o{i}@metro.example", "ticket_type_ids": [ticket]} for i in range(3)]
    response = await conference.client.post(
        f"/conferences/{conference_id}/registrations",
        json={"payer_name": "Metro Police", "payer_email": "training@metro.example", "attendees": group},
    )
    assert response.status_code == 409
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 2
    assert await conference.pool.fetchval("SELECT count(*) FROM registrations") == 0


class UnguardedCapacity:
    """The bug the tests must catch: check the seats left, then sell, with no atomic guard."""

    async def take(self, conn: Connection, pool_id: UUID) -> int | None:
        sold = await conn.fetchval("SELECT count(*) FROM attendee_tickets WHERE ticket_type_id = $1", pool_id)
        capacity = await conn.fetchval("SELECT capacity FROM ticket_types WHERE id = $1", pool_id)
        await asyncio.sleep(0.05)  # the window in which the others check too
        return 0 if sold < capacity else None

    async def release(self, conn: Connection, pool_id: UUID, shard: int) -> None:
        return None


async def test_negative_control_without_the_guard_the_same_rush_oversells(conference: Conference) -> None:
    conference_id = await conference.conference()
    free = await conference.ticket_type(conference_id, capacity=100, member_price_minor=0, non_member_price_minor=0)
    unguarded = dataclasses.replace(
        conference.deps, uow=lambda: PostgresUnitOfWork(conference.pool, UnguardedCapacity())
    )
    conference.client._transport.app.state.runtime.deps = unguarded  # type: ignore[attr-defined]
    outcomes = await rush(conference, conference_id, free, people=500)
    assert outcomes[201] > 100  # the assertion the real test makes would have failed
