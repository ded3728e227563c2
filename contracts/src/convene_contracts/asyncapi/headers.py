"""The Kafka headers a Convene message carries, as the AsyncAPI document states them.

The relay sets `event_type` and `event_id` on every message it publishes (libs/delivery relay.py).
A consumer that gives up parks the original value and key on `<topic>.dlq` with the dead-letter
headers (consumer.py), plus the two FastStream adds to what it publishes. Notifications parks an
email it could not send with headers of its own.
"""

from collections.abc import Iterable
from typing import Any, Final


def _text(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


RELAY: Final = {
    "event_type": _text("The envelope's event_type, so a consumer can skip a message without parsing it."),
    "event_id": _text("The envelope's event_id.", format="uuid"),
}

CONSUMER_DEAD_LETTER: Final = {
    "x-origin-topic": _text("The topic the message was read from."),
    "x-origin-partition": _text("Its partition there, in decimal.", pattern="^[0-9]+$"),
    "x-origin-offset": _text("Its offset there, in decimal.", pattern="^[0-9]+$"),
    "x-consumer-group": _text("The consumer group that gave up on it."),
    "x-attempts": _text("How many times the handler was tried.", pattern="^[0-9]+$"),
    "x-error": _text("The last error's type and message, at most 2000 characters.", maxLength=2000),
    # FastStream, which publishes the parked copy, adds its own two.
    "content-type": _text("Set by FastStream: empty, since the value is the original bytes."),
    "correlation_id": _text("FastStream's id for this publish; not the envelope's correlation_id."),
}

FAILED_EMAIL: Final = {
    **RELAY,
    "x-origin-delivery-id": _text("The delivery (one email) that failed.", format="uuid"),
    "x-origin-event-id": _text("The event the email was about.", format="uuid"),
    "x-origin-event-type": _text("That event's type."),
    "x-origin-template": _text("The email's template."),
    "x-attempts": _text("How many times sending was tried.", pattern="^[0-9]+$"),
    "x-permanent": _text("true: the mail server refused for good; false: the retries ran out.", enum=["true", "false"]),
    "x-error": _text("The last SMTP answer or connection error, at most 2000 characters.", maxLength=2000),
}


_TRACE_ABOUT: Final = {
    "traceparent": "W3C Trace Context: the trace and the relay's publish span this event continues.",
    "tracestate": "W3C Trace Context: vendors' state of that trace, when it has any.",
}


def trace_context(names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The trace headers the relay adds to an event written inside a traced transaction, and
    only then. Their names come from the code that writes them (convene_delivery.tracing, passed in
    by tools/asyncapi/generate.py): the contracts import no delivery code."""
    return {name: _text(_TRACE_ABOUT.get(name, "W3C Trace Context.") + " Only on traced events.") for name in names}


def headers_schema(
    title: str, headers: dict[str, dict[str, Any]], optional: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """An AsyncAPI headers schema: an object of string headers; `headers` are always set,
    `optional` ones only sometimes."""
    properties = headers | (optional or {})
    return {"type": "object", "title": title, "properties": properties, "required": list(headers)}
