"""FastStream's own lines (a consumer starting, a message received and processed) come out as
Convene's JSON lines under LOG_FORMAT=json, with the service and FastStream's topic and group
(docs/operations.md, "Logs"), on a real Kafka broker."""

import io
import json
import logging
from collections.abc import Iterator

import pytest

from convene_contracts import Event
from convene_delivery.consumer import RetryPolicy, Subscription
from convene_delivery.kafka import ensure_topics, make_broker
from convene_service.logs import set_up_logs
from convene_service.settings import ServiceSettings
from tests.support.events import activated
from tests.support.kafka import produce, unique_topic
from tests.support.stack import kafka_bootstrap
from tests.support.waiting import wait_until


@pytest.fixture
def json_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Logs set up as a service does; what the process writes on stderr and stdout, kept."""
    written = io.StringIO()
    monkeypatch.setattr("sys.stderr", written)
    monkeypatch.setattr("sys.stdout", written)  # where FastStream's own handler would write
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    set_up_logs("logs-probe", "INFO", "json", instance="logs-probe-1")
    yield written
    root.handlers[:], root.level = handlers, level


async def test_faststreams_lines_are_json_lines_with_the_service(json_logs: io.StringIO) -> None:
    topic, handled = unique_topic(), []
    await ensure_topics(kafka_bootstrap(), [topic], partitions=1)
    settings = ServiceSettings(
        database_url="postgresql://unused", kafka_bootstrap_servers=kafka_bootstrap(), operator_token_sha256="0" * 64
    )
    broker = make_broker(settings, client_id="logs-probe")

    async def handle(event: Event) -> None:
        handled.append(event.event_id)

    handlers = {"membership.activated": handle}
    Subscription(broker, topic=topic, group_id="logs-probe", handlers=handlers, retry=RetryPolicy(max_attempts=1))
    await broker.start()
    try:
        await produce(topic, activated().model_dump_json().encode(), key=b"k")
        await wait_until(lambda: bool(handled), seconds=60)
    finally:
        await broker.stop()

    lines = [line for line in json_logs.getvalue().splitlines() if topic in line]
    assert any("waiting for messages" in line for line in lines), lines  # FastStream's start line
    for line in lines:
        assert line.startswith("{"), f"not a JSON line: {line!r}"
        parsed = json.loads(line)
        assert (parsed["service"], parsed["instance"]) == ("logs-probe", "logs-probe-1"), parsed
