"""Which parked messages a replay sends: only originals it can put back, each event once."""

from convene_operator.adapters.dead_letters import Parked, as_dead_letter_topic
from convene_operator.commands.dlq import unreplayable, worth_sending
from tests.support.events import activated

TOPIC = "convene.membership.v1"


def parked(offset: int, value: bytes, **headers: str) -> Parked:
    return Parked(as_dead_letter_topic(TOPIC), 0, offset, b"key", value, headers)


def test_only_a_consumers_parked_event_can_be_put_back() -> None:
    event = activated().model_dump_json().encode()
    assert unreplayable(parked(0, event, **{"x-origin-topic": TOPIC})) is None
    assert "no x-origin-topic" in str(unreplayable(parked(1, event)))  # a failed email notifications parked
    assert "no Convene event" in str(unreplayable(parked(2, b"{not json", **{"x-origin-topic": TOPIC})))


def test_an_event_parked_by_several_groups_is_sent_once() -> None:
    event = activated().model_dump_json().encode()
    copies = [
        parked(0, event, **{"x-origin-topic": TOPIC, "x-consumer-group": "notifications"}),
        parked(1, event, **{"x-origin-topic": TOPIC, "x-consumer-group": "conference"}),
        parked(2, b"garbage", **{"x-origin-topic": TOPIC}),
    ]
    assert [p.offset for p in worth_sending(copies)] == [0]


def test_a_topic_is_named_with_or_without_its_dlq_suffix() -> None:
    assert as_dead_letter_topic(TOPIC) == as_dead_letter_topic(f"{TOPIC}.dlq") == f"{TOPIC}.dlq"
