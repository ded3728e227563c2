"""Consuming in batches: many events per call and per offset commit, and a failing batch that
falls back to one event at a time so only the bad event is parked."""

from uuid import UUID

import pytest
from faststream.kafka import KafkaBroker

from convene_contracts import Event, dead_letter_topic
from convene_delivery.consumer import RetryPolicy, Subscription
from tests.support.events import activated
from tests.support.kafka import produce, read_topic
from tests.support.stack import kafka_bootstrap
from tests.support.waiting import wait_until

FAST_RETRY = RetryPolicy(max_attempts=3, backoff_seconds=0.05)


class Recorder:
    def __init__(self, poison: UUID | None = None) -> None:
        self.batches: list[list[UUID]] = []
        self.singles: list[UUID] = []
        self.poison = poison

    async def batch(self, events: list[Event]) -> None:
        ids = [e.event_id for e in events]
        if self.poison in ids:
            raise ValueError("one event in this batch cannot be applied")
        self.batches.append(ids)

    async def one(self, event: Event) -> None:
        if event.event_id == self.poison:
            raise ValueError("this member's level cannot be priced")
        self.singles.append(event.event_id)

    def handled(self) -> list[UUID]:
        return [i for b in self.batches for i in b] + self.singles


def subscribe(broker: KafkaBroker, topic: str, recorder: Recorder) -> None:
    Subscription(
        broker,
        topic=topic,
        group_id="g",
        handlers={"membership.activated": recorder.one},
        retry=FAST_RETRY,
        batch=recorder.batch,
    )


async def test_events_waiting_together_are_applied_together_and_committed(broker: KafkaBroker, topic: str) -> None:
    events = [activated() for _ in range(30)]
    for e in events:
        await produce(topic, e.model_dump_json().encode(), key=b"k")
    recorder = Recorder()
    subscribe(broker, topic, recorder)
    await broker.start()
    await wait_until(lambda: len(recorder.handled()) == 30)
    assert sorted(recorder.handled()) == sorted(e.event_id for e in events)
    assert max(len(b) for b in recorder.batches) > 1
    assert recorder.singles == []
    await broker.stop()

    # The offsets were committed: the same group, started again, gets only what came after.
    later = activated()
    again = KafkaBroker(kafka_bootstrap(), acks="all", enable_idempotence=True)
    second = Recorder()
    subscribe(again, topic, second)
    await again.start()
    try:
        await produce(topic, later.model_dump_json().encode(), key=b"k")
        await wait_until(lambda: second.handled() != [])
        assert second.handled() == [later.event_id]
    finally:
        await again.stop()


@pytest.mark.parametrize("poison_kind", ["fails", "garbage"])
async def test_a_bad_event_in_a_batch_parks_only_itself(broker: KafkaBroker, topic: str, poison_kind: str) -> None:
    before, poison, after = [activated() for _ in range(5)], activated(), [activated() for _ in range(5)]
    bad = poison.model_dump_json().encode() if poison_kind == "fails" else b'{"event_type": "membership.act'
    for e in before:
        await produce(topic, e.model_dump_json().encode(), key=b"k")
    await produce(topic, bad, key=b"k")
    for e in after:
        await produce(topic, e.model_dump_json().encode(), key=b"k")
    recorder = Recorder(poison=poison.event_id)
    subscribe(broker, topic, recorder)
    await broker.start()
    good = [e.event_id for e in before + after]
    await wait_until(lambda: sorted(recorder.handled()) == sorted(good))
    [parked] = await read_topic(dead_letter_topic(topic), at_least=1)
    assert parked.value == bad
    assert parked.headers["x-attempts"] == ("3" if poison_kind == "fails" else "1")
    assert len(recorder.handled()) == len(set(recorder.handled()))  # nothing applied twice
