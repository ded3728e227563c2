"""The Kafka headers the AsyncAPI document states are exactly those on the wire: the relay's on
every published event, and a consumer's on every message it parks (convene_contracts.asyncapi.headers)."""

from typing import Any

import asyncpg
import yaml
from faststream.kafka import KafkaBroker
from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, TraceState

from convene_contracts import Event, dead_letter_topic
from convene_contracts.asyncapi import DOCUMENT
from convene_contracts.asyncapi.headers import CONSUMER_DEAD_LETTER, RELAY
from convene_delivery.consumer import RetryPolicy, Subscription
from convene_delivery.kafka import KafkaPublisher
from convene_delivery.outbox import add_to_outbox
from convene_delivery.relay import OutboxRelay
from tests.support.events import activated
from tests.support.kafka import produce, read_topic


async def test_a_relayed_event_carries_the_documented_headers(
    pool: asyncpg.Pool, database: str, broker: KafkaBroker, topic: str, publisher: KafkaPublisher
) -> None:
    event = activated()
    async with pool.acquire() as conn, conn.transaction():
        await add_to_outbox(conn, topic, event)
    await broker.start()
    assert await OutboxRelay(pool, database, publisher).relay_batch() == 1

    [record] = await read_topic(topic, at_least=1)
    assert record.headers == {"event_type": event.event_type, "event_id": str(event.event_id)}
    assert set(record.headers) == set(RELAY)


def documented_event_headers() -> dict[str, Any]:
    """The committed AsyncAPI document's headers schema of every event message."""
    schema: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text())["components"]["schemas"]["EventHeaders"]
    return schema


async def test_a_traced_relayed_event_carries_the_documented_headers_with_its_trace_context(
    pool: asyncpg.Pool, database: str, topic: str, publisher: KafkaPublisher
) -> None:
    """Written inside a trace that has vendor state, the event goes out with `traceparent` and
    `tracestate` beside the relay's own headers: the document lists every one, and requires only
    those every message has."""
    state = TraceState([("convene", "t61rcWkgMzE")])
    parent = SpanContext(0x4BF92F3577B34DA6A3CE929D0E0E4736, 0x00F067AA0BA902B7, False, TraceFlags(1), state)
    token = context.attach(trace.set_span_in_context(NonRecordingSpan(parent)))
    try:
        async with pool.acquire() as conn, conn.transaction():
            await add_to_outbox(conn, topic, activated())
    finally:
        context.detach(token)
    assert await OutboxRelay(pool, database, publisher).relay_batch() == 1

    [record] = await read_topic(topic, at_least=1)
    assert record.headers["tracestate"] == "convene=t61rcWkgMzE"
    documented = documented_event_headers()
    assert set(record.headers) == set(documented["properties"])
    assert set(documented["required"]) == set(RELAY)


async def test_a_parked_message_carries_the_documented_dead_letter_headers(broker: KafkaBroker, topic: str) -> None:
    async def refuse(event: Event) -> None:
        raise ValueError("this member's level cannot be priced")

    retry = RetryPolicy(max_attempts=1, backoff_seconds=0.01)
    Subscription(broker, topic=topic, group_id="g", handlers={"membership.activated": refuse}, retry=retry)
    await broker.start()
    await produce(topic, activated().model_dump_json().encode(), key=b"k")

    [parked] = await read_topic(dead_letter_topic(topic), at_least=1)
    assert set(parked.headers) == set(CONSUMER_DEAD_LETTER)
