"""Convene's events as an AsyncAPI 3.0.0 document, built from the contracts.

Channels, messages, keys, headers, schemas and examples come from the contracts alone; who sends
and who receives (`Operation`) is read from the services by tools/asyncapi/generate.py, which
passes it in, so the contracts never import a service.
"""

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

from pydantic.json_schema import models_json_schema

from convene_contracts.asyncapi import headers
from convene_contracts.envelope import Event
from convene_contracts.exports import ExportPart
from convene_contracts.registry import EVENT_TYPES
from convene_contracts.samples import sample_events, sample_id
from convene_contracts.topics import (
    ALL_TOPICS,
    CONFERENCE,
    EXPORTS,
    MEMBERSHIP,
    NOTIFICATIONS,
    SHORT_RETENTION_DAYS,
    dead_letter_topic,
)

KAFKA_BINDING: Final = "0.5.0"
DEFAULT_RETENTION_DAYS: Final = 7  # KAFKA_RETENTION_DAYS' default (docs/architecture.md, Retention)
PARKED: Final = "parked"  # the one message of a dead-letter channel that any consumer may park
FAILED_EMAIL: Final = "failed_email"  # notifications' own dead letter: an email it gave up on
_OWN_TOPIC: Final = {"membership": MEMBERSHIP, "conference": CONFERENCE, "notification": NOTIFICATIONS}
_ABOUT: Final = {
    MEMBERSHIP: "What happens to members, memberships, seats and staff. Key: the member id (the staff id for staff).",
    CONFERENCE: "Registrations, holds, refunds, the waitlist, check-in and certificates; conference's audit entries.",
    NOTIFICATIONS: "What became of each email (key: the delivery id); notifications' audit entries.",
    EXPORTS: "Each service's part of a person's export: personal data, kept by Kafka for a day only.",
}


@dataclass(frozen=True)
class Operation:
    """One service sending to, or receiving from, one topic. `event_types` are the messages it
    sends or acts on (a consumer skips the others); empty on a dead-letter topic means anything parked."""

    service: str
    action: Literal["send", "receive"]
    topic: str
    event_types: tuple[str, ...] = ()
    group: str | None = None  # the consumer group of a receive


def published_on(event_type: str) -> str:
    """The topic an event type is published on: its producer's, except the parts of an export."""
    if issubclass(EVENT_TYPES[event_type], ExportPart):
        return EXPORTS
    return _OWN_TOPIC[event_type.partition(".")[0]]


def channel_id(topic: str) -> str:
    return topic.removeprefix("convene.").replace(".", "_")


def message_id(event_type: str) -> str:
    return event_type.replace(".", "_")


def _ref(*path: str) -> dict[str, str]:
    return {"$ref": "#/" + "/".join(path)}


def _doc(model: type[Event]) -> str:
    return inspect.cleandoc(model.__doc__ or "").replace("\n", " ")


def _key_field(event: Event) -> str:
    """The payload field the message key is made of (Event.aggregate_id), found in the example."""
    key = event.aggregate_id()
    [field] = [name for name, value in event.payload.model_dump(mode="json").items() if value == key]
    return field


def _event_message(event: Event) -> dict[str, Any]:
    model = type(event)
    field = _key_field(event)
    name = event.event_type
    return {
        "name": name,
        "title": name.replace(".", " ").replace("_", " ").capitalize(),
        "summary": _doc(model),
        "contentType": "application/json",
        "headers": _ref("components", "schemas", "EventHeaders"),
        "payload": _ref("components", "schemas", model.__name__),
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"The payload's `{field}`: its events keep their order."},
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "examples": [
            {
                "name": message_id(name),
                "headers": {"event_type": name, "event_id": str(event.event_id)},
                "payload": event.model_dump(mode="json"),
            }
        ],
    }


def _dead_letter_messages(samples: dict[str, Event]) -> dict[str, Any]:
    parked_from = samples["membership.activated"]
    failed = samples["notification.failed"]
    key = {"type": "string", "description": "The original message's key, unchanged."}
    return {
        PARKED: {
            "name": "parked",
            "title": "A message a consumer gave up on",
            "summary": "The original value and key, byte for byte, with where it came from and why it failed.",
            "description": "Parked after the handler failed CONSUMER_MAX_ATTEMPTS times, or at once when the "
            "message does not parse (then the value may not even be JSON). An outage never parks a message.",
            "contentType": "application/json",
            "headers": _ref("components", "schemas", "DeadLetterHeaders"),
            "payload": {"title": "ParkedValue", "description": "The original message's value, unchanged."},
            "bindings": {"kafka": {"key": key, "bindingVersion": KAFKA_BINDING}},
            "examples": [
                {
                    "name": "parked_activation",
                    "headers": {
                        "x-origin-topic": MEMBERSHIP,
                        "x-origin-partition": "3",
                        "x-origin-offset": "1207",
                        "x-consumer-group": "conference",
                        "x-attempts": "3",
                        "x-error": "ValueError: this member's level cannot be priced",
                        "content-type": "",
                        "correlation_id": str(sample_id("publish of a parked message")),
                    },
                    "payload": parked_from.model_dump(mode="json"),
                }
            ],
        },
        FAILED_EMAIL: {
            **_event_message(failed),
            "title": "An email notifications gave up on",
            "headers": _ref("components", "schemas", "FailedEmailHeaders"),
            "examples": [
                {
                    "name": "failed_welcome_email",
                    "headers": {
                        "event_type": failed.event_type,
                        "event_id": str(failed.event_id),
                        **{f"x-origin-{k.replace('_', '-')}": str(v) for k, v in _failed_origin(failed).items()},
                        "x-attempts": "5",
                        "x-permanent": "true",
                        "x-error": "550 5.1.1 mailbox unavailable",
                    },
                    "payload": failed.model_dump(mode="json"),
                }
            ],
        },
    }


def _failed_origin(failed: Event) -> dict[str, object]:
    p = failed.payload.model_dump(mode="json")
    return {name: p[name] for name in ("delivery_id", "event_id", "event_type", "template")}


def _channel(topic: str, messages: Iterable[str], summary: str) -> dict[str, Any]:
    days = SHORT_RETENTION_DAYS.get(topic.removesuffix(".dlq"), DEFAULT_RETENTION_DAYS)
    return {
        "address": topic,
        "title": topic,
        "summary": summary,
        "messages": {m: _ref("components", "messages", m) for m in messages},
        "bindings": {
            "kafka": {
                "topic": topic,
                "topicConfiguration": {"cleanup.policy": ["delete"], "retention.ms": int(days * 86_400_000)},
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _channels() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    for topic in ALL_TOPICS:
        own = [message_id(t) for t in EVENT_TYPES if published_on(t) == topic]
        channels[channel_id(topic)] = _channel(topic, own, _ABOUT[topic])
        parked = [PARKED, *([FAILED_EMAIL] if topic == NOTIFICATIONS else [])]
        summary = f"Messages of {topic} that a consumer could not process, parked to be looked into and replayed."
        channels[channel_id(dead_letter_topic(topic))] = _channel(dead_letter_topic(topic), parked, summary)
    return channels


def _operation(op: Operation) -> tuple[str, dict[str, Any]]:
    channel = channel_id(op.topic)
    dead_letters = op.topic.endswith(".dlq")
    names = [FAILED_EMAIL if dead_letters else message_id(t) for t in op.event_types] or [PARKED]
    who = op.group or op.service
    verb = {"send": "sends", "receive": "receives"}[op.action]
    if dead_letters and op.action == "send" and not op.event_types:
        verb = "parks"
    body: dict[str, Any] = {
        "action": op.action,
        "channel": _ref("channels", channel),
        "title": f"{who} {verb} {op.topic}",
        "messages": [_ref("channels", channel, "messages", n) for n in names],
        "x-service": op.service,  # which of Convene's services runs it (a receive's group may differ)
    }
    if op.group:
        group = {"type": "string", "enum": [op.group]}
        body["bindings"] = {"kafka": {"groupId": group, "bindingVersion": KAFKA_BINDING}}
    return f"{who}_{verb}_{channel}".replace("-", "_"), body


def document(operations: Iterable[Operation], version: str, trace_headers: Iterable[str] = ()) -> dict[str, Any]:
    """The whole AsyncAPI document, ready to be written as YAML. `trace_headers`: the names of the
    trace context headers the relay adds to a traced event."""
    samples = sample_events()
    _, defs = models_json_schema(
        [(model, "serialization") for model in EVENT_TYPES.values()], ref_template="#/components/schemas/{model}"
    )
    messages = {message_id(t): _event_message(samples[t]) for t in EVENT_TYPES} | _dead_letter_messages(samples)
    schemas = dict(sorted(defs["$defs"].items())) | {
        "EventHeaders": headers.headers_schema("EventHeaders", headers.RELAY, headers.trace_context(trace_headers)),
        "DeadLetterHeaders": headers.headers_schema("DeadLetterHeaders", headers.CONSUMER_DEAD_LETTER),
        "FailedEmailHeaders": headers.headers_schema("FailedEmailHeaders", headers.FAILED_EMAIL),
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Convene events", "version": version, "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "channels": _channels(),
        "operations": dict(sorted(_operation(op) for op in operations)),
        "components": {"messages": messages, "schemas": schemas},
    }


DESCRIPTION: Final = """\
The events Convene's three services (membership, conference, notifications) exchange on Kafka:
the only way they talk to each other.

Every message is an envelope (event_id, event_type, schema_version, occurred_at in UTC, producer,
correlation_id, causation_id) around a typed payload, written as JSON. The message key is the
aggregate's id, so one member's (or registration's, or delivery's) events stay in order on one
partition. Delivery is at least once: consumers deduplicate on event_id. Consumers ignore fields
they do not know; within a version only optional fields are added; a breaking change is a new
event version published beside the old one.

Each topic has a dead-letter topic, `<topic>.dlq`, where a consumer parks a message it gave up on.
Generated from the contracts (contracts/src/convene_contracts) by tools/asyncapi/generate.py.
"""
