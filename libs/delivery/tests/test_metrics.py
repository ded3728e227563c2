"""The delivery metrics against a real broker: lag is the broker's end minus the group's
committed offset, dead letters are what waits on <topic>.dlq, and the consumer counts what it
handled, retried and parked (docs/operations.md, "Metrics and alerts")."""

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker
from prometheus_client import REGISTRY

from convene_contracts import Event, dead_letter_topic
from convene_delivery import metrics
from convene_delivery.consumer import RetryPolicy, Subscription
from convene_delivery.lag import KafkaLag
from tests.support.events import activated
from tests.support.kafka import produce
from tests.support.stack import kafka_bootstrap
from tests.support.waiting import wait_until


@pytest.fixture
async def lag() -> AsyncIterator[KafkaLag]:
    reader = KafkaLag(kafka_bootstrap())
    yield reader
    await reader.close()


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, {"service": metrics.service(), **labels}) or 0.0


def lag_of(topic: str, group: str) -> float:
    return sum(sample("convene_consumer_lag", topic=topic, group=group, partition=str(p)) for p in range(3))


async def test_lag_counts_what_a_group_has_not_committed_and_dead_letters_what_waits(
    broker: KafkaBroker, topic: str, lag: KafkaLag
) -> None:
    group = f"g-{uuid4().hex[:6]}"
    for _ in range(4):
        event = activated()
        await produce(topic, event.model_dump_json().encode(), key=str(event.payload.member_id).encode())
    await produce(dead_letter_topic(topic), b"parked", key=b"k")

    async def owed(count: int) -> bool:
        # A scrape that finds Kafka not ready (a fresh broker has no group coordinator yet) clears
        # the gauges, and the next one tries again: so does this test, bounded.
        await lag.record([(topic, group)])
        return lag_of(topic, group) == count

    await wait_until(lambda: owed(4), seconds=60)  # the group has not started: all four are owed
    assert sample("convene_dead_letter_messages", topic=dead_letter_topic(topic)) == 1

    handled: list[Event] = []

    async def handle(event: Event) -> None:
        handled.append(event)

    Subscription(broker, topic=topic, group_id=group, handlers={"membership.activated": handle}, retry=RetryPolicy())
    await broker.start()

    await wait_until(lambda: owed(0), seconds=60)
    assert len(handled) == 4
    assert sample("convene_messages_handled_total", topic=topic, group=group) == 4


async def test_a_message_that_keeps_failing_is_counted_retried_then_dead_lettered(
    broker: KafkaBroker, topic: str
) -> None:
    group = f"g-{uuid4().hex[:6]}"

    async def refuse(event: Event) -> None:
        raise ValueError("this member's level cannot be priced")

    retry = RetryPolicy(max_attempts=3, backoff_seconds=0.01)
    Subscription(broker, topic=topic, group_id=group, handlers={"membership.activated": refuse}, retry=retry)
    await broker.start()
    poison = activated()
    await produce(topic, poison.model_dump_json().encode(), key=str(poison.payload.member_id).encode())

    await wait_until(lambda: sample("convene_messages_dead_lettered_total", topic=topic, group=group) == 1)
    assert sample("convene_messages_retried_total", topic=topic, group=group) == 2  # attempts 1 and 2
    assert sample("convene_messages_handled_total", topic=topic, group=group) == 0
