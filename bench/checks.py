"""Correctness after every benchmark run: nothing left unpublished in any service's outbox, and
nothing new on any dead-letter topic. (Each scenario checks its own counts too: seats sold,
emails without duplicates.) A benchmark whose figures come with lost or parked events is void."""

import asyncio
import time

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.stack import KAFKA, POSTGRES
from convene_contracts import ALL_TOPICS, dead_letter_topic

DATABASES = ("membership", "conference", "notifications")


async def _dead_letters() -> int:
    """Messages ever written to the dead-letter topics (end offsets summed)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA)
    await consumer.start()
    try:
        topics = await consumer.topics()
        partitions = [
            TopicPartition(t, p)
            for t in (dead_letter_topic(x) for x in ALL_TOPICS)
            if t in topics
            for p in consumer.partitions_for_topic(t) or ()
        ]
        ends = await consumer.end_offsets(partitions) if partitions else {}
        return sum(ends.values())
    finally:
        await consumer.stop()


async def _unpublished() -> int:
    total = 0
    for database in DATABASES:
        conn = await asyncpg.connect(f"{POSTGRES}/{database}")
        try:
            total += await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        finally:
            await conn.close()
    return total


def dead_letters() -> int:
    return asyncio.run(_dead_letters())


def unpublished_after(seconds: float = 60) -> int:
    """Outbox rows still unpublished once the relays have had `seconds` to catch up."""
    deadline = time.monotonic() + seconds
    left = asyncio.run(_unpublished())
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = asyncio.run(_unpublished())
    return left
