"""Reading and writing Kafka topics directly, to see what the services published."""

import asyncio
import time
from dataclasses import dataclass
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from convene_contracts import RawEvent
from tests.support.stack import kafka_bootstrap


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]


async def read_topic(topic: str, *, at_least: int, seconds: float = 20, settle: float = 0.0) -> list[Record]:
    """Everything on `topic` from the start, once `at_least` records are there (or time runs out).

    `settle` keeps reading a little longer, so a test can see that nothing more arrives.
    """
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap(),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[Record] = []
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(records) < at_least:
            batch = await consumer.getmany(timeout_ms=200)
            records += [_record(m) for messages in batch.values() for m in messages]
        if settle:
            await asyncio.sleep(settle)
            batch = await consumer.getmany(timeout_ms=500)
            records += [_record(m) for messages in batch.values() for m in messages]
    finally:
        await consumer.stop()
    return sorted(records, key=lambda r: (r.partition, r.offset))


def _record(message: object) -> Record:
    m = message
    headers = {k: v.decode() for k, v in (m.headers or ())}  # type: ignore[attr-defined]
    return Record(m.topic, m.partition, m.offset, m.key, m.value, headers)  # type: ignore[attr-defined]


async def produce(topic: str, value: bytes, key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap(), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


def unique_topic(prefix: str = "test") -> str:
    return f"{prefix}.{uuid4().hex[:10]}"


async def published(
    topic: str, event_type: str, expect: int = 1, seconds: float = 20, **payload: object
) -> list[RawEvent]:
    """The events of `event_type` on `topic` whose payload has the given values, once at least
    `expect` of them are there (or `seconds` have passed)."""
    deadline = time.monotonic() + seconds
    while True:
        found = []
        for record in await read_topic(topic, at_least=10**9, seconds=0.5):
            event = RawEvent.model_validate_json(record.value)
            if event.event_type == event_type and all(event.payload.get(k) == v for k, v in payload.items()):
                found.append(event)
        if len(found) >= expect or time.monotonic() > deadline:
            return found
