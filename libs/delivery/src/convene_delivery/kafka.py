"""Kafka clients configured for Convene's guarantees, and the topics created at start."""

import logging
from collections.abc import Awaitable
from typing import Any, Protocol

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker

from convene_contracts import dead_letter_topic

log = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = 36


class UnsafeDeliveryConfig(SystemExit):
    """Start-up refuses settings under which Kafka could lose or duplicate events."""


def require_safe_producer(acks: str, enable_idempotence: bool) -> None:
    problems = []
    if acks != "all":
        problems.append(f"KAFKA_ACKS={acks!r}: only 'all' waits for every in-sync replica")
    if not enable_idempotence:
        problems.append("KAFKA_ENABLE_IDEMPOTENCE=false: retried sends could write duplicates")
    if problems:
        raise UnsafeDeliveryConfig("Refusing to start an unsafe Kafka producer:\n  " + "\n  ".join(problems))


class KafkaSettings(Protocol):
    """What the broker needs of a service's settings (convene_service.settings has them)."""

    @property
    def kafka_bootstrap_servers(self) -> str: ...
    @property
    def kafka_acks(self) -> str: ...
    @property
    def kafka_enable_idempotence(self) -> bool: ...


def make_broker(settings: KafkaSettings, client_id: str) -> KafkaBroker:
    require_safe_producer(settings.kafka_acks, settings.kafka_enable_idempotence)
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,  # a tiny wait lets the relay's burst share batches
        allow_auto_create_topics=False,  # topics are created explicitly, with their partitions
    )


def broker_publisher(broker: KafkaBroker) -> Any:
    """The relay's way to publish: the record goes out, and the caller awaits its acknowledgement."""

    async def publish(topic: str, key: bytes, body: bytes, headers: dict[str, str]) -> Awaitable[Any]:
        return await broker.publish(body, topic, key=key, headers=headers, no_confirm=True)

    return publish


async def ensure_topics(bootstrap_servers: str, topics: list[str], partitions: int) -> None:
    """Creates each topic and its dead-letter topic if missing; safe to run from many instances."""
    wanted = sorted({t for topic in topics for t in (topic, dead_letter_topic(topic))})
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in wanted if t not in existing]
        if missing:
            response = await admin.create_topics(missing)
            for name, code, *_ in response.topic_errors:
                if code not in (0, _TOPIC_ALREADY_EXISTS):
                    raise RuntimeError(f"could not create Kafka topic {name}: error code {code}")
            log.info("created Kafka topics %s", [t.name for t in missing])
    finally:
        await admin.close()
