"""A log line is one JSON object with the service, the instance, the flow's correlation id, the
trace's id and the ids passed in `extra`, and names no address (docs/operations.md, "Logs")."""

import io
import json
import logging
from collections.abc import Iterator
from uuid import uuid4

import pytest
from opentelemetry import trace

from convene_delivery.correlation import correlated
from convene_service.logs import set_up_logs
from convene_service.request_log import parse_correlation


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    set_up_logs("conference", "INFO", "json", instance="conference-7")
    yield stream
    root.handlers[:], root.level = handlers, level


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_carries_the_service_the_flow_the_trace_and_the_ids(written: io.StringIO) -> None:
    flow, registration = uuid4(), uuid4()
    span = trace.NonRecordingSpan(trace.SpanContext(trace_id=0xABC, span_id=0x1, is_remote=False))
    with correlated(flow), trace.use_span(span):
        logging.getLogger("conference.refunds").warning(
            "refund owed for %s", registration, extra={"registration_id": str(registration)}
        )
    [line] = lines(written)
    assert line["level"] == "WARNING"
    assert (line["service"], line["instance"], line["logger"]) == ("conference", "conference-7", "conference.refunds")
    assert line["message"] == f"refund owed for {registration}"
    assert (line["correlation_id"], line["registration_id"]) == (str(flow), str(registration))
    assert line["trace_id"] == f"{0xABC:032x}"
    assert str(line["time"]).endswith("+00:00")


def test_outside_a_flow_and_a_trace_both_ids_are_null(written: io.StringIO) -> None:
    logging.getLogger("uvicorn.error").info("started")  # uvicorn's own lines are JSON too
    [line] = lines(written)
    assert (line["correlation_id"], line["trace_id"], line["logger"]) == (None, None, "uvicorn.error")


def test_an_address_in_an_error_or_a_traceback_is_replaced(written: io.StringIO) -> None:
    try:
        raise ValueError("Key (email)=(pat.payer+x@example.org) already exists")
    except ValueError:
        logging.getLogger("x").exception("could not save for pat.payer+x@example.org")
    assert "example.org" not in written.getvalue()
    assert "<address>" in str(lines(written)[0]["message"])


@pytest.mark.parametrize(
    "value", ["", "not-a-uuid", "x" * 5000, "{5f0c9a1e-8d3b-4c2a-9e7f-1b2c3d4e5f60}", "5f0c9a1e\n"]
)
def test_a_correlation_header_that_is_not_a_plain_uuid_is_not_taken(value: str) -> None:
    assert parse_correlation(value) is None


def test_a_uuid_header_is_taken_with_or_without_its_dashes() -> None:
    flow = uuid4()
    assert parse_correlation(str(flow)) == parse_correlation(flow.hex) == flow
