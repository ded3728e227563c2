"""The envelope: UTC times, tolerant reading, typing by event type."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from convene_contracts import EVENT_TYPES, RawEvent, parse_event
from convene_contracts.membership import MembershipActivated
from convene_contracts.registry import UnknownEventType
from tests.support.events import activated as base_event


def activated(**overrides: object) -> MembershipActivated:
    return MembershipActivated.model_validate(base_event().model_dump() | overrides)


def test_occurred_at_is_stored_in_utc() -> None:
    toronto = timezone(timedelta(hours=-5))
    event = activated(occurred_at=datetime(2026, 3, 1, 9, 0, tzinfo=toronto))
    assert event.occurred_at == datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
    assert event.occurred_at.utcoffset() == timedelta(0)


def test_a_time_without_a_zone_is_rejected() -> None:
    with pytest.raises(ValidationError, match="occurred_at"):
        activated(occurred_at=datetime(2026, 3, 1, 9, 0))


def test_an_event_survives_the_trip_through_json() -> None:
    event = activated()
    assert parse_event(RawEvent.model_validate_json(event.model_dump_json())) == event


def test_fields_added_by_a_newer_producer_are_ignored() -> None:
    document = activated().model_dump(mode="json")
    document["new_envelope_field"] = "x"
    document["payload"]["new_payload_field"] = 1
    parsed = parse_event(RawEvent.model_validate(document))
    assert isinstance(parsed, MembershipActivated)
    assert parsed.payload.level_name == "Individual"


def test_parse_event_types_the_payload_by_event_type() -> None:
    raw = RawEvent.model_validate_json(activated().model_dump_json())
    assert isinstance(parse_event(raw), MembershipActivated)


def test_an_unknown_event_type_is_reported() -> None:
    document = activated().model_dump(mode="json") | {"event_type": "membership.teleported"}
    with pytest.raises(UnknownEventType):
        parse_event(RawEvent.model_validate(document))


def test_a_known_type_with_a_broken_payload_does_not_validate() -> None:
    document = activated().model_dump(mode="json")
    document["payload"]["email"] = "not-an-address"
    with pytest.raises(ValidationError, match="email"):
        parse_event(RawEvent.model_validate(document))


def test_the_message_key_is_the_member_id() -> None:
    event = activated()
    assert event.aggregate_id() == str(event.payload.member_id)


def test_every_registered_type_is_named_by_its_own_literal() -> None:
    for name, model in EVENT_TYPES.items():
        assert model.model_fields["event_type"].default == name
        assert name.split(".")[0] in ("membership", "conference", "notification")
