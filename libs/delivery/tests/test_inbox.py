"""The idempotent consumer's inbox: one effect per event, whatever the redeliveries."""

import asyncio

import asyncpg
import pytest

from convene_delivery.inbox import apply_once, first_time_in
from convene_delivery.postgres import Connection
from tests.support.events import activated


async def test_a_redelivered_event_is_applied_once(pool: asyncpg.Pool) -> None:
    event = activated()

    async def effect(conn: Connection) -> None:
        await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", event.event_id)

    assert await apply_once(pool, "c", event, effect) is True
    assert await apply_once(pool, "c", event, effect) is False
    assert await pool.fetchval("SELECT count(*) FROM effects") == 1


async def test_concurrent_deliveries_of_one_event_apply_it_once(pool: asyncpg.Pool) -> None:
    event = activated()

    async def slow_effect(conn: Connection) -> None:
        await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", event.event_id)
        await asyncio.sleep(0.2)  # keep the first transaction open while the others arrive

    results = await asyncio.gather(*(apply_once(pool, "c", event, slow_effect) for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    assert await pool.fetchval("SELECT count(*) FROM effects") == 1


async def test_each_consumer_applies_the_event_for_itself(pool: asyncpg.Pool) -> None:
    event = activated()

    async def effect(conn: Connection) -> None:
        await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", event.event_id)

    assert await apply_once(pool, "notifications", event, effect)
    assert await apply_once(pool, "conference", event, effect)
    assert await pool.fetchval("SELECT count(*) FROM effects") == 2


async def test_a_failed_effect_leaves_no_inbox_row_so_a_retry_applies_it(pool: asyncpg.Pool) -> None:
    event = activated()

    async def failing(conn: Connection) -> None:
        await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", event.event_id)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await apply_once(pool, "c", event, failing)
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0
    assert await pool.fetchval("SELECT count(*) FROM effects") == 0

    async def effect(conn: Connection) -> None:
        await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", event.event_id)

    assert await apply_once(pool, "c", event, effect)


async def test_a_batch_yields_each_new_event_once_in_order_and_skips_the_applied_ones(pool: asyncpg.Pool) -> None:
    applied, first, second = activated(), activated(), activated()
    async with pool.acquire() as conn, conn.transaction():
        assert await first_time_in(conn, "c", [applied]) == [applied]
    async with pool.acquire() as conn, conn.transaction():
        new = await first_time_in(conn, "c", [second, applied, first, second])
    assert [e.event_id for e in new] == [second.event_id, first.event_id]
    async with pool.acquire() as conn:
        assert await first_time_in(conn, "c", [first, second]) == []  # committed: redelivered, nothing new
        assert await first_time_in(conn, "other", [first]) == [first]  # another consumer's own inbox
