"""Consuming safely: commit after processing, bounded retries, dead letters, inbox on redelivery."""

import json
from uuid import UUID

import asyncpg
import pytest
from faststream import AckPolicy
from faststream.kafka import KafkaBroker

from convene_contracts import Event, dead_letter_topic
from convene_delivery.consumer import RetryPolicy, Subscription
from convene_delivery.inbox import apply_once
from convene_delivery.kafka import UnsafeDeliveryConfig, require_safe_producer
from convene_delivery.postgres import Connection
from tests.support.events import activated
from tests.support.kafka import produce, read_topic
from tests.support.waiting import wait_until

FAST_RETRY = RetryPolicy(max_attempts=3, backoff_seconds=0.05)


async def record_activations(broker: KafkaBroker, topic: str) -> list[Event]:
    """Subscribes a handler that keeps every activation it gets, and starts the broker."""
    handled: list[Event] = []

    async def handle(event: Event) -> None:
        handled.append(event)

    Subscription(broker, topic=topic, group_id="g", handlers={"membership.activated": handle}, retry=FAST_RETRY)
    await broker.start()
    return handled


async def test_a_message_that_always_fails_is_retried_then_parked_and_the_next_flows(
    broker: KafkaBroker, topic: str
) -> None:
    poison, good = activated(), activated()
    calls: dict[UUID, int] = {poison.event_id: 0, good.event_id: 0}

    async def handle(event: Event) -> None:
        calls[event.event_id] += 1
        if event.event_id == poison.event_id:
            raise ValueError("this member's level cannot be priced")

    Subscription(broker, topic=topic, group_id="g", handlers={"membership.activated": handle}, retry=FAST_RETRY)
    await broker.start()
    key = str(poison.payload.member_id).encode()  # one key: one partition, so order is known
    await produce(topic, poison.model_dump_json().encode(), key=key)
    await produce(topic, good.model_dump_json().encode(), key=key)

    await wait_until(lambda: calls[good.event_id] == 1)
    assert calls[poison.event_id] == 3
    [parked] = await read_topic(dead_letter_topic(topic), at_least=1)
    [original, _] = await read_topic(topic, at_least=2)
    assert parked.value == original.value
    assert parked.key == key
    assert parked.headers["x-origin-topic"] == topic
    assert parked.headers["x-origin-partition"] == str(original.partition)
    assert parked.headers["x-origin-offset"] == str(original.offset)
    assert parked.headers["x-error"] == "ValueError: this member's level cannot be priced"
    assert parked.headers["x-attempts"] == "3"


async def test_a_malformed_message_is_parked_at_once_and_the_next_is_processed(broker: KafkaBroker, topic: str) -> None:
    handled = await record_activations(broker, topic)
    good = activated()
    await produce(topic, b'{"event_type": "membership.activated", "half a', key=b"k")
    await produce(topic, good.model_dump_json().encode(), key=b"k")

    await wait_until(lambda: len(handled) == 1)
    assert handled[0].event_id == good.event_id
    [parked] = await read_topic(dead_letter_topic(topic), at_least=1)
    assert parked.value.startswith(b'{"event_type"')
    assert parked.headers["x-error"].startswith("ValidationError")
    assert parked.headers["x-attempts"] == "1"


async def test_an_event_type_without_a_handler_is_passed_over(broker: KafkaBroker, topic: str) -> None:
    handled = await record_activations(broker, topic)
    other = activated().model_dump(mode="json") | {"event_type": "membership.something_new"}
    good = activated()
    await produce(topic, json.dumps(other).encode(), key=b"k")
    await produce(topic, good.model_dump_json().encode(), key=b"k")
    await wait_until(lambda: len(handled) == 1)
    assert handled[0].event_id == good.event_id
    assert await read_topic(dead_letter_topic(topic), at_least=1, seconds=1) == []


async def test_a_crash_after_the_effect_but_before_the_commit_is_absorbed_by_the_inbox(
    broker: KafkaBroker, topic: str, pool: asyncpg.Pool
) -> None:
    event, later = activated(), activated()
    deliveries: list[UUID] = []

    async def handle(e: Event) -> None:
        deliveries.append(e.event_id)

        async def effect(conn: Connection) -> None:
            await conn.execute("INSERT INTO effects (event_id) VALUES ($1)", e.event_id)

        await apply_once(pool, "consumer", e, effect)
        if deliveries.count(e.event_id) == 1:
            # The effect is committed; the offset is not. An outage here hands the message back.
            raise ConnectionResetError("lost the connection before committing the offset")

    Subscription(broker, topic=topic, group_id="g", handlers={"membership.activated": handle}, retry=FAST_RETRY)
    await broker.start()
    await produce(topic, event.model_dump_json().encode(), key=b"k")
    await produce(topic, later.model_dump_json().encode(), key=b"k")

    await wait_until(lambda: later.event_id in deliveries and deliveries.count(later.event_id) == 2)
    assert deliveries.count(event.event_id) == 2  # delivered twice ...
    counts = await pool.fetch("SELECT event_id, count(*) AS n FROM effects GROUP BY event_id")
    assert {r["event_id"]: r["n"] for r in counts} == {event.event_id: 1, later.event_id: 1}  # ... applied once
    assert await read_topic(dead_letter_topic(topic), at_least=1, seconds=1) == []


@pytest.mark.parametrize("policy", [AckPolicy.ACK_FIRST, AckPolicy.ACK, AckPolicy.REJECT_ON_ERROR])
def test_an_ack_policy_that_can_lose_messages_is_refused(policy: AckPolicy) -> None:
    broker = KafkaBroker("127.0.0.1:1")
    with pytest.raises(SystemExit, match=f"Refusing ack policy {policy.name}"):
        Subscription(broker, topic="t", group_id="g", handlers={}, retry=FAST_RETRY, ack_policy=policy)


@pytest.mark.parametrize(
    ("acks", "idempotent", "named"),
    [("1", True, "KAFKA_ACKS='1'"), ("0", True, "KAFKA_ACKS='0'"), ("all", False, "KAFKA_ENABLE_IDEMPOTENCE=false")],
)
def test_an_unsafe_producer_is_refused(acks: str, idempotent: bool, named: str) -> None:
    with pytest.raises(UnsafeDeliveryConfig, match=named):
        require_safe_producer(acks, idempotent)


def test_the_safe_producer_is_accepted() -> None:
    require_safe_producer("all", True)
