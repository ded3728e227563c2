"""Consumer lag and dead letters, read from Kafka when scraped (docs/operations.md).

Lag is what the broker knows, not what a consumer believes: the end of each partition minus the
group's committed offset. So a consumer that hangs, or a process that died, shows a growing lag
rather than a stale one. The dead-letter count is what `<topic>.dlq` holds (end minus beginning,
so records retention has deleted are not counted). One admin client and one group-less consumer
are kept for the process and dropped after a failure; the next scrape starts new ones.
"""

import logging
from collections.abc import Iterable
from contextlib import suppress

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import Gauge

from convene_contracts import dead_letter_topic
from convene_delivery import metrics

log = logging.getLogger(__name__)

CONSUMER_LAG = Gauge(
    "convene_consumer_lag",
    "Messages on a partition the consumer group has not committed yet",
    ["service", "topic", "group", "partition"],
    multiprocess_mode="mostrecent",
)
DEAD_LETTERS = Gauge(
    "convene_dead_letter_messages",
    "Messages waiting on a dead-letter topic this service reads the origin of",
    ["service", "topic"],
    multiprocess_mode="mostrecent",
)


def lag(end: int, committed: int | None) -> int:
    """A group that never committed on a partition starts from its beginning (auto_offset_reset
    earliest): everything up to the end is still owed. Never negative."""
    return max(end - (committed if committed is not None and committed >= 0 else 0), 0)


class KafkaLag:
    def __init__(self, bootstrap_servers: str) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None

    async def record(self, subscribed: Iterable[tuple[str, str]]) -> None:
        """Sets the gauges for each (topic, group); on any failure clears them (no stale lag)."""
        try:
            await self._record(sorted(subscribed))
        except Exception:
            log.warning("could not read consumer lag from Kafka", exc_info=True)
            CONSUMER_LAG.clear()
            DEAD_LETTERS.clear()
            await self.close()

    async def _record(self, subscribed: list[tuple[str, str]]) -> None:
        admin, consumer = await self._clients()
        service = metrics.service()
        topics = sorted({topic for topic, _ in subscribed})
        partitions_of = await _partitions(admin, [*topics, *map(dead_letter_topic, topics)])
        for topic, group in subscribed:
            partitions = partitions_of.get(topic, [])
            committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
            ends = await consumer.end_offsets(partitions)
            for tp in partitions:
                offset = committed.get(tp)
                behind = lag(ends[tp], offset.offset if offset is not None else None)
                CONSUMER_LAG.labels(service, topic, group, str(tp.partition)).set(behind)
        for topic in topics:
            dlq = dead_letter_topic(topic)
            partitions = partitions_of.get(dlq, [])
            ends = await consumer.end_offsets(partitions)
            starts = await consumer.beginning_offsets(partitions)
            DEAD_LETTERS.labels(service, dlq).set(sum(ends[tp] - starts[tp] for tp in partitions))

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None or self._consumer is None:
            await self.close()
            admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap_servers)
            await admin.start()
            self._admin = admin
            consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap_servers, enable_auto_commit=False)
            await consumer.start()
            self._consumer = consumer
        return self._admin, self._consumer

    async def close(self) -> None:
        admin, consumer, self._admin, self._consumer = self._admin, self._consumer, None, None
        with suppress(Exception):
            if admin is not None:
                await admin.close()
        with suppress(Exception):
            if consumer is not None:
                await consumer.stop()


async def _partitions(admin: AIOKafkaAdminClient, topics: list[str]) -> dict[str, list[TopicPartition]]:
    """Each topic's partitions, from one metadata request (a topic Kafka does not know has none)."""
    described = await admin.describe_topics(topics)
    return {
        t["topic"]: [TopicPartition(t["topic"], p["partition"]) for p in sorted(t["partitions"], key=_partition)]
        for t in described
        if not t["error_code"]
    }


def _partition(described: dict[str, int]) -> int:
    return described["partition"]
