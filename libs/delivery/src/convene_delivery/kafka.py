"""Kafka clients configured for Convene's guarantees, and the topics created at start."""

import logging
from collections.abc import Awaitable, Sequence
from contextlib import suppress
from typing import Any, Protocol

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker

from convene_contracts import dead_letter_topic
from convene_contracts.topics import SHORT_RETENTION_DAYS

log = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = 36
# FastStream's lines (a consumer starting, each message received and processed) go through this
# logger, which has no handler of its own: they reach the root's, so a service writes them in its
# LOG_FORMAT like every other line. FastStream's default logger prints coloured text on stdout.
FASTSTREAM_LOGGER = "convene.kafka"


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


def make_broker(settings: KafkaSettings, client_id: str, middlewares: Sequence[Any] = ()) -> KafkaBroker:
    """`middlewares`: FastStream's, such as its Prometheus middleware (convene_service.metrics)."""
    require_safe_producer(settings.kafka_acks, settings.kafka_enable_idempotence)
    return KafkaBroker(
        # FastStream takes a string as one host: "a:9092,b:9092" must be given as a list.
        bootstrap_list(settings.kafka_bootstrap_servers),
        middlewares=middlewares,
        logger=logging.getLogger(FASTSTREAM_LOGGER),  # its `extra` (topic, group_id, message_id) included
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,  # a tiny wait lets the relay's burst share batches
        allow_auto_create_topics=False,  # topics are created explicitly, with their partitions
    )


def bootstrap_list(servers: str) -> list[str]:
    """KAFKA_BOOTSTRAP_SERVERS ("host:port[,host:port...]") as the list of its addresses."""
    return [server.strip() for server in servers.split(",") if server.strip()]


class KafkaPublisher:
    """The relay's producer: an idempotent aiokafka producer of its own (acks=all), made anew by
    `reset`. After a broker restart in the middle of a batch, an idempotent producer's sequence
    numbers can fall out of step with the broker's, and aiokafka then refuses every later batch
    with OutOfOrderSequenceNumber, for good: only a new producer (a new producer id) publishes
    again. The batch that failed goes out again with it; the consumers' inboxes absorb a repeat."""

    def __init__(self, bootstrap_servers: str, client_id: str, **options: Any) -> None:
        """`options` go to the producer beside Convene's own (a benchmark's larger batches)."""
        self._bootstrap_servers, self._client_id = bootstrap_servers, client_id
        self._options = {"linger_ms": 2, **options}  # a tiny wait lets the relay's burst share batches
        self._producer: AIOKafkaProducer | None = None

    async def __call__(self, topic: str, key: bytes, body: bytes, headers: dict[str, str]) -> Awaitable[Any]:
        """Queues one record; the answer resolves when Kafka has acknowledged it."""
        if self._producer is None:
            producer = AIOKafkaProducer(
                bootstrap_servers=self._bootstrap_servers,
                client_id=self._client_id,
                acks="all",
                enable_idempotence=True,
                **self._options,
            )
            await producer.start()
            self._producer = producer
        encoded = [(name, value.encode()) for name, value in headers.items()]
        sent: Awaitable[Any] = await self._producer.send(topic, body, key=key, headers=encoded)
        return sent

    async def reset(self) -> None:
        """Drops the producer (and whatever it still held): the next record starts a new one."""
        producer, self._producer = self._producer, None
        if producer is not None:
            with suppress(Exception):  # it failed already; closing it must not fail the relay too
                await producer.stop()

    close = reset


async def ensure_topics(
    bootstrap_servers: str,
    topics: list[str],
    partitions: int,
    retention_days: float = 7,
    *,
    replication_factor: int = 1,
    min_insync_replicas: int = 1,
) -> None:
    """Creates each topic and its dead-letter topic if missing; safe to run from many instances.
    The events carry names and addresses, so each topic deletes them after `retention_days`
    (set on the topic, not left to the broker's default; docs/privacy.md). Each partition has
    `replication_factor` copies, and a write with acks=all (every Convene producer) is refused
    unless `min_insync_replicas` of them have it: with 3 and 2, one broker may die and nothing
    acknowledged is lost (docs/operations.md, "Running several instances"). A topic that exists
    already keeps what it was created with."""
    wanted = sorted({t for topic in topics for t in (topic, dead_letter_topic(topic))})

    def configs(topic: str) -> dict[str, str]:
        days = min(retention_days, SHORT_RETENTION_DAYS.get(topic.removesuffix(".dlq"), retention_days))
        return {
            "retention.ms": str(int(days * 86_400_000)),
            "cleanup.policy": "delete",
            "min.insync.replicas": str(min_insync_replicas),
        }

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(t, num_partitions=partitions, replication_factor=replication_factor, topic_configs=configs(t))
            for t in wanted
            if t not in existing
        ]
        if missing:
            response = await admin.create_topics(missing)
            for name, code, *_ in response.topic_errors:
                if code not in (0, _TOPIC_ALREADY_EXISTS):
                    raise RuntimeError(f"could not create Kafka topic {name}: error code {code}")
            log.info("created Kafka topics %s", [t.name for t in missing])
    finally:
        await admin.close()
