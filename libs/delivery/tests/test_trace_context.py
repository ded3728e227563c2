"""W3C trace context through the outbox, the relay and a consumer, on real Postgres and Kafka
(docs/operations.md, "Traces"). No SDK is installed in the test process, as in a service with
tracing off: the spans are the API's no-op ones, which carry their parent's context along, so a
trace started by the caller still shows whether each step passed it on."""

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import asyncpg
import pytest
from faststream.kafka import KafkaBroker
from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from convene_contracts import Event
from convene_delivery.consumer import RetryPolicy, Subscription
from convene_delivery.kafka import KafkaPublisher
from convene_delivery.outbox import add_to_outbox
from convene_delivery.relay import OutboxRelay
from convene_delivery.tracing import carrier_of
from tests.support.events import activated
from tests.support.kafka import read_topic
from tests.support.waiting import wait_until

TRACE_ID = 0x4BF92F3577B34DA6A3CE929D0E0E4736


@contextmanager
def inside_a_trace() -> Iterator[None]:
    """As inside a traced request: a current span with a valid context."""
    span = NonRecordingSpan(SpanContext(TRACE_ID, 0x00F067AA0BA902B7, is_remote=False, trace_flags=TraceFlags(1)))
    token = context.attach(trace.set_span_in_context(span))
    try:
        yield
    finally:
        context.detach(token)


def trace_id_of(traceparent: str) -> int:
    return int(traceparent.split("-")[1], 16)


async def write(pool: asyncpg.Pool, topic: str, event: Event) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await add_to_outbox(conn, topic, event)


async def test_an_untraced_event_is_stored_and_published_without_a_trace(
    pool: asyncpg.Pool, database: str, topic: str, publisher: KafkaPublisher
) -> None:
    await write(pool, topic, activated())
    assert await pool.fetchval("SELECT trace_context FROM outbox") is None

    assert await OutboxRelay(pool, database, publisher).relay_batch() == 1
    [record] = await read_topic(topic, at_least=1)
    assert "traceparent" not in record.headers


@pytest.mark.parametrize("in_batches", [False, True], ids=["one by one", "in batches"])
async def test_a_traced_event_carries_its_trace_to_kafka_and_into_the_consumers_handling(
    pool: asyncpg.Pool, database: str, broker: KafkaBroker, topic: str, publisher: KafkaPublisher, in_batches: bool
) -> None:
    event = activated()
    with inside_a_trace():
        await write(pool, topic, event)
    stored = await pool.fetchval("SELECT trace_context->>'traceparent' FROM outbox")
    assert trace_id_of(stored) == TRACE_ID

    assert await OutboxRelay(pool, database, publisher).relay_batch() == 1
    [record] = await read_topic(topic, at_least=1)
    assert trace_id_of(record.headers["traceparent"]) == TRACE_ID

    seen: dict[UUID, int] = {}

    async def handle(received: Event) -> None:
        carrier = carrier_of(received.event_id)  # what notifications keeps with a delivery
        seen[received.event_id] = trace_id_of(carrier["traceparent"]) if carrier else 0

    async def handle_batch(events: list[Event]) -> None:
        for received in events:
            await handle(received)

    retry, batch = RetryPolicy(max_attempts=1), handle_batch if in_batches else None
    handlers = {"membership.activated": handle}
    Subscription(broker, topic=topic, group_id="g", handlers=handlers, retry=retry, batch=batch)
    await broker.start()
    await wait_until(lambda: event.event_id in seen)
    assert seen[event.event_id] == TRACE_ID
