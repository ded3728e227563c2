"""The outbox and its relay, against real Postgres and Kafka (reliability property 6)."""

import asyncio
from collections.abc import Awaitable
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
from aiokafka.errors import OutOfOrderSequenceNumber
from faststream.kafka import KafkaBroker

from convene_contracts import Event, RawEvent
from convene_delivery.kafka import KafkaPublisher
from convene_delivery.outbox import add_to_outbox
from convene_delivery.relay import OutboxRelay, unpublished_count
from tests.support.events import activated
from tests.support.kafka import read_topic


async def write(pool: asyncpg.Pool, topic: str, *events: Event) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await add_to_outbox(conn, topic, *events)


def relay_for(pool: asyncpg.Pool, database: str, publish: Any, **options: Any) -> OutboxRelay:
    return OutboxRelay(pool, database, publish, **options)


async def test_committed_events_reach_kafka_keyed_by_their_aggregate(
    pool: asyncpg.Pool, database: str, broker: KafkaBroker, topic: str, publisher: KafkaPublisher
) -> None:
    ada, grace = uuid4(), uuid4()
    events = [activated(ada), activated(grace), activated(ada, level_name="Agency")]
    await write(pool, topic, *events)
    await broker.start()

    assert await relay_for(pool, database, publisher).relay_batch() == 3

    records = await read_topic(topic, at_least=3)
    assert sorted(RawEvent.model_validate_json(r.value).event_id for r in records) == sorted(e.event_id for e in events)
    assert {r.key for r in records} == {str(ada).encode(), str(grace).encode()}
    assert {r.headers["event_type"] for r in records} == {"membership.activated"}
    async with pool.acquire() as conn:
        assert await unpublished_count(conn) == 0


async def test_a_rolled_back_state_change_publishes_nothing(pool: asyncpg.Pool, topic: str) -> None:
    async def failing_state_change() -> None:
        async with pool.acquire() as conn, conn.transaction():
            await add_to_outbox(conn, topic, activated())
            raise RuntimeError("the state change failed")

    with pytest.raises(RuntimeError):
        await failing_state_change()
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 0


async def test_writing_outside_a_transaction_is_refused(pool: asyncpg.Pool, topic: str) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            await add_to_outbox(conn, topic, activated())


async def test_a_relay_that_dies_before_publishing_leaves_the_events_to_the_next(
    pool: asyncpg.Pool, database: str, broker: KafkaBroker, topic: str, publisher: KafkaPublisher
) -> None:
    events = [activated() for _ in range(5)]
    await write(pool, topic, *events)

    async def crash(topic: str, key: bytes, body: bytes, headers: dict[str, str]) -> Awaitable[Any]:
        raise ConnectionError("the relay process died here")

    with pytest.raises(ConnectionError):
        await relay_for(pool, database, crash).relay_batch()
    async with pool.acquire() as conn:
        assert await unpublished_count(conn) == 5

    await broker.start()
    assert await relay_for(pool, database, publisher).relay_batch() == 5
    records = await read_topic(topic, at_least=6, seconds=5, settle=0.5)
    assert sorted(RawEvent.model_validate_json(r.value).event_id for r in records) == sorted(e.event_id for e in events)


async def test_notify_wakes_the_relay_long_before_its_next_poll(
    pool: asyncpg.Pool, database: str, broker: KafkaBroker, topic: str, publisher: KafkaPublisher
) -> None:
    await broker.start()
    relay = relay_for(pool, database, publisher, poll_seconds=600)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(1)  # let it go idle, waiting on LISTEN with a 10-minute poll
        await write(pool, topic, activated())
        assert len(await read_topic(topic, at_least=1, seconds=20)) == 1
    finally:
        task.cancel()


async def test_with_two_relays_running_each_members_events_keep_their_order(
    pool: asyncpg.Pool, database: str, broker: KafkaBroker, topic: str, publisher: KafkaPublisher
) -> None:
    await broker.start()
    relays = [relay_for(pool, database, publisher, poll_seconds=0.05, batch_size=7) for _ in range(2)]
    tasks = [asyncio.create_task(r.run()) for r in relays]
    members = [uuid4() for _ in range(10)]
    written: dict[bytes, list[str]] = {str(m).encode(): [] for m in members}
    try:
        for round_ in range(20):
            batch = [activated(m, level_name=f"round {round_}") for m in members]
            await write(pool, topic, *batch)
            for m in members:
                written[str(m).encode()].append(f"round {round_}")
        records = await read_topic(topic, at_least=200, seconds=30, settle=0.5)
    finally:
        for task in tasks:
            task.cancel()
    assert len(records) == 200
    seen: dict[bytes, list[str]] = {key: [] for key in written}
    for record in records:  # sorted by partition and offset: the order consumers see
        assert record.key is not None
        seen[record.key].append(RawEvent.model_validate_json(record.value).payload["level_name"])
    assert seen == written


class FailsForGood:
    """A producer that failed as aiokafka's idempotent producer does after a broker restart
    mid-batch: every later batch is refused, until a new producer is made (`reset`)."""

    def __init__(self, real: KafkaPublisher) -> None:
        self.real, self.broken, self.resets = real, True, 0

    async def __call__(self, topic: str, key: bytes, body: bytes, headers: dict[str, str]) -> Awaitable[Any]:
        if self.broken:
            raise OutOfOrderSequenceNumber()
        return await self.real(topic, key, body, headers)

    async def reset(self) -> None:
        self.resets += 1
        self.broken = False
        await self.real.reset()


async def test_a_relay_whose_producer_failed_for_good_publishes_again_with_a_new_one(
    pool: asyncpg.Pool, database: str, topic: str, publisher: KafkaPublisher
) -> None:
    events = [activated() for _ in range(3)]
    await write(pool, topic, *events)
    producer = FailsForGood(publisher)
    task = asyncio.create_task(relay_for(pool, database, producer, poll_seconds=0.05, retry_seconds=0.05).run())
    try:
        records = await read_topic(topic, at_least=3, seconds=20)
    finally:
        task.cancel()
    assert producer.resets >= 1
    assert sorted(RawEvent.model_validate_json(r.value).event_id for r in records) == sorted(e.event_id for e in events)
