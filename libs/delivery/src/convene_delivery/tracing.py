"""W3C trace context across the outbox and Kafka (docs/operations.md, "Traces").

An event's trace is that of the transaction that wrote it: `add_to_outbox` stores the context
with the row (`outbox.trace_context`), the relay's publish span continues it and puts
`traceparent` (and `tracestate`) in the Kafka headers, and a consumer's handling span continues
it from there. A handler that owes work for later (notifications' deliveries) reads the handling
span's context with `carrier_of` and keeps it with that work.

Only the OpenTelemetry API is used here: until a service sets up the SDK (convene_service.tracing)
every span is a no-op, no context is ever valid, and so no row or message carries one.
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any, Final
from uuid import UUID

from opentelemetry import context, propagate, trace
from opentelemetry.trace import Link, Span, SpanKind, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

Carrier = dict[str, str]

tracer = trace.get_tracer("convene_delivery")

# What goes into a Kafka message is W3C Trace Context and nothing else, whatever OTEL_PROPAGATORS
# says: a consumer of any language reads it, and the AsyncAPI document lists exactly these headers.
_W3C: Final = TraceContextTextMapPropagator()
TRACE_HEADERS: Final = tuple(sorted(_W3C.fields))

# The handling span's context of each event a handler is applying now, by event id.
_being_handled: ContextVar[Mapping[UUID, Carrier] | None] = ContextVar("convene_events_being_handled", default=None)


def current_carrier() -> Carrier | None:
    """The current context as W3C headers, or None when there is no trace to continue."""
    if not trace.get_current_span().get_span_context().is_valid:
        return None  # tracing off, or nothing traced: skip the propagators (every outbox write)
    carrier: Carrier = {}
    propagate.inject(carrier)
    return carrier or None


def carrier_of(event_id: UUID) -> Carrier | None:
    """The context of the span handling `event_id` now, for work it leaves for later."""
    handled = _being_handled.get()
    return None if handled is None else handled.get(event_id)


def _parent(carrier: Mapping[str, str] | None) -> context.Context | None:
    return propagate.extract(carrier) if carrier else None


@contextmanager
def publishing(topic: str, carrier: Mapping[str, str] | None, headers: dict[str, str]) -> Iterator[None]:
    """The relay's publish span of one row, continuing the row's trace: adds its context to the
    Kafka `headers`. A row written without a trace is published without a span or a header."""
    if not carrier:
        yield
        return
    span = tracer.start_span(f"publish {topic}", context=_parent(carrier), kind=SpanKind.PRODUCER)
    span.set_attributes({"messaging.system": "kafka", "messaging.destination.name": topic})
    _W3C.inject(headers, context=trace.set_span_in_context(span))
    try:
        yield
    except BaseException as error:  # not made current: a batch's spans are open side by side
        span.record_exception(error)
        span.set_status(StatusCode.ERROR, str(error))
        raise
    finally:
        span.end()


def record_carrier(headers: Iterable[tuple[str, bytes]] | None) -> Carrier:
    """The trace headers of a Kafka record, decoded."""
    return {name: value.decode() for name, value in headers or () if name in TRACE_HEADERS}


def _handling_span(topic: str, group_id: str, carrier: Carrier, links: Iterable[Link] = ()) -> Span:
    span = tracer.start_span(f"process {topic}", context=_parent(carrier), kind=SpanKind.CONSUMER, links=list(links))
    span.set_attributes(
        {"messaging.system": "kafka", "messaging.destination.name": topic, "messaging.consumer.group.name": group_id}
    )
    return span


@contextmanager
def handling(topic: str, group_id: str, records: Mapping[UUID, Carrier]) -> Iterator[None]:
    """The consumer's handling span(s) of the events in `records` (event id -> its record's trace
    headers), current while the handler runs. One span per event that came with a trace, each a
    child of its publish span; with several, a batch span linking them is the current one."""
    traced = {event_id: carrier for event_id, carrier in records.items() if carrier}
    if not traced:
        yield
        return
    with ExitStack() as spans:
        own = {event_id: _handling_span(topic, group_id, carrier) for event_id, carrier in traced.items()}
        handled: dict[UUID, Carrier] = {}
        for event_id, span in own.items():
            spans.callback(span.end)
            handled[event_id] = {}
            propagate.inject(handled[event_id], context=trace.set_span_in_context(span))
        current = next(iter(own.values()))
        if len(own) > 1:
            current = _handling_span(topic, group_id, {}, [Link(s.get_span_context()) for s in own.values()])
            spans.callback(current.end)
        token = _being_handled.set(handled)
        try:
            with trace.use_span(current, end_on_exit=False, record_exception=True):
                yield
        finally:
            _being_handled.reset(token)


@contextmanager
def continuing(name: str, carrier: Mapping[str, str] | None, **attributes: Any) -> Iterator[None]:
    """A span of work done later for a traced event (an email's send), in that event's trace."""
    if not carrier:
        yield
        return
    with tracer.start_as_current_span(name, context=_parent(carrier), attributes=attributes):
        yield
