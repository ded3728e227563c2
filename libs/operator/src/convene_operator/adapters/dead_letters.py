"""Reading the dead-letter topics (`<topic>.dlq`) and putting parked messages back.

A consumer parks a message with its original value and key, and headers of its own naming the
origin (x-origin-topic/-partition/-offset), the group, the attempts and the error
(convene_delivery.consumer). Replay publishes that original value and key on the origin topic with
the idempotent producer the relay uses, so every consumer's inbox sees the same event id again:
the groups that had applied it skip it, the one that parked it applies it once."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata
from pydantic import ValidationError

from convene_contracts import ALL_TOPICS, RawEvent, dead_letter_topic
from convene_delivery.kafka import KafkaPublisher

# The consumer group whose committed offsets on the dead-letter topics record what `replay --all`
# has put back already; it never consumes as a member, it only commits.
REPLAY_GROUP = "convene-admin-dlq-replay"
DEAD_LETTER_TOPICS = tuple(dead_letter_topic(topic) for topic in ALL_TOPICS)


@dataclass(frozen=True)
class Parked:
    topic: str  # the dead-letter topic
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    @property
    def address(self) -> str:
        return f"{self.partition}:{self.offset}"

    @property
    def event(self) -> RawEvent | None:
        try:
            return RawEvent.model_validate_json(self.value)
        except ValidationError:
            return None

    @property
    def origin_topic(self) -> str | None:
        """Where a consumer read it; None for what a service parked itself (a failed email)."""
        return self.headers.get("x-origin-topic")


def as_dead_letter_topic(topic: str) -> str:
    return topic if topic.endswith(".dlq") else dead_letter_topic(topic)


def _parked(message: object) -> Parked:
    m = message
    headers = {k: v.decode(errors="replace") for k, v in (m.headers or ())}  # type: ignore[attr-defined]
    return Parked(m.topic, m.partition, m.offset, m.key, m.value or b"", headers)  # type: ignore[attr-defined]


class DeadLetters:
    """One connection to Kafka for the length of a command."""

    def __init__(self, bootstrap_servers: str, group_id: str | None = None) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False
        )
        self._bootstrap_servers = bootstrap_servers

    async def __aenter__(self) -> "DeadLetters":
        await self._consumer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()

    async def partitions(self, topics: Iterable[str]) -> list[TopicPartition]:
        """The partitions of those of `topics` that exist (a consumer knows only what it subscribed to,
        so the admin client describes them; asking about a missing topic could create it)."""
        existing = await self._consumer.topics()
        wanted = [topic for topic in topics if topic in existing]
        if not wanted:
            return []
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap_servers)
        await admin.start()
        try:
            described = await admin.describe_topics(wanted)
        finally:
            await admin.close()
        return sorted(
            TopicPartition(topic["topic"], partition["partition"])
            for topic in described
            for partition in topic["partitions"]
        )

    async def read(self, starts: dict[TopicPartition, int]) -> list[Parked]:
        """Every message from each partition's start offset up to its end as it is now."""
        if not starts:
            return []
        self._consumer.assign(list(starts))
        ends = await self._consumer.end_offsets(list(starts))
        firsts = await self._consumer.beginning_offsets(list(starts))
        records: list[Parked] = []
        pending = set()
        for tp, start in starts.items():
            self._consumer.seek(tp, max(start, firsts[tp]))
            if max(start, firsts[tp]) < ends[tp]:
                pending.add(tp)
        while pending:
            batch = await self._consumer.getmany(*pending, timeout_ms=1000)
            for tp, messages in batch.items():
                records += [_parked(m) for m in messages if m.offset < ends[tp]]
            for tp in list(pending):
                if await self._consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
        return sorted(records, key=lambda r: (r.topic, r.partition, r.offset))

    async def all_of(self, topics: Iterable[str]) -> list[Parked]:
        return await self.read({tp: 0 for tp in await self.partitions(topics)})

    async def one(self, topic: str, partition: int, offset: int) -> Parked | None:
        tp = TopicPartition(topic, partition)
        if tp not in await self.partitions([topic]):
            return None
        found = await self.read({tp: offset})
        return found[0] if found and found[0].offset == offset else None

    async def not_replayed(self, topics: Iterable[str]) -> list[Parked]:
        """What comes after the replay group's committed offsets (all of it the first time)."""
        partitions = await self.partitions(topics)
        starts = {}
        for tp in partitions:
            committed = await self._consumer.committed(tp)
            starts[tp] = committed or 0
        return await self.read(starts)

    async def record_replayed(self, through: Iterable[Parked]) -> None:
        """Commits, per partition, the offset after the last message handled."""
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        for parked in through:
            tp = TopicPartition(parked.topic, parked.partition)
            if tp not in offsets or offsets[tp].offset <= parked.offset:
                offsets[tp] = OffsetAndMetadata(parked.offset + 1, "")
        if offsets:
            await self._consumer.commit(offsets)


async def put_back(bootstrap_servers: str, messages: list[Parked], sent: Callable[[], None] = lambda: None) -> None:
    """Publishes each message's original value and key on its origin topic, with the relay's
    headers (event type and id) and where it came back from; returns once Kafka acknowledged all."""
    publish = KafkaPublisher(bootstrap_servers, "convene-admin")
    try:
        acknowledgements = []
        for parked in messages:
            event, origin = parked.event, parked.origin_topic
            assert event is not None
            assert origin is not None
            headers = {
                "event_type": event.event_type,
                "event_id": str(event.event_id),
                "x-replayed-from": f"{parked.topic}:{parked.address}",
            }
            acknowledgements.append(await publish(origin, parked.key or b"", parked.value, headers))
        for acknowledged in acknowledgements:
            await acknowledged
            sent()
    finally:
        await publish.close()
