"""Consuming Convene events safely with FastStream.

- Offsets are committed only after the handler finished (NACK_ON_ERROR; never ACK_FIRST).
- A message that keeps failing is retried a bounded number of times with backoff and jitter,
  then parked on `<topic>.dlq` with its origin and error in headers; the consumer goes on.
- A message that cannot be parsed is parked at once: retrying cannot fix it.
- When Postgres or the network is down the message is not parked: it is handed back to Kafka
  (seek back, nothing committed) and tried again after a pause, for as long as the outage lasts.
- With a batch handler, the records Kafka hands over together are applied in one call (one
  transaction, one offset commit). If that call fails for any reason but an outage, the batch is
  applied again one event at a time with the rules above, so one bad event parks only itself.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from uuid import UUID

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError

from convene_contracts import Event, RawEvent, dead_letter_topic, parse_event
from convene_delivery import metrics
from convene_delivery.backoff import backoff_delay
from convene_delivery.correlation import correlated
from convene_delivery.postgres import is_outage
from convene_delivery.tracing import Carrier, handling, record_carrier

log = logging.getLogger(__name__)

Handler = Callable[[Event], Awaitable[None]]
BatchHandler = Callable[[list[Event]], Awaitable[None]]

SAFE_ACK_POLICIES = (AckPolicy.NACK_ON_ERROR, AckPolicy.MANUAL)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    backoff_seconds: float = 0.2
    max_backoff_seconds: float = 10.0

    def delay(self, attempt: int) -> float:
        return backoff_delay(attempt, self.backoff_seconds, self.max_backoff_seconds)


class Subscription:
    """One consumer group reading one topic and dispatching each event type to its handler."""

    def __init__(
        self,
        broker: KafkaBroker,
        *,
        topic: str,
        group_id: str,
        handlers: Mapping[str, Handler],
        retry: RetryPolicy,
        ack_policy: AckPolicy = AckPolicy.NACK_ON_ERROR,
        batch: BatchHandler | None = None,
        max_batch: int = 500,
    ) -> None:
        if ack_policy not in SAFE_ACK_POLICIES:
            raise SystemExit(f"Refusing ack policy {ack_policy.name} for {group_id}: it commits before processing")
        self.topic = topic
        self.group_id = group_id
        self._broker = broker
        self._handlers = dict(handlers)
        self._retry = retry
        self._batch = batch
        metrics.SUBSCRIBED.add((topic, group_id))
        if batch is None:
            broker.subscriber(topic, group_id=group_id, ack_policy=ack_policy, auto_offset_reset="earliest")(
                self.on_message
            )
        else:  # batch_timeout_ms: how long a poll waits to fill a batch when fewer are waiting
            broker.subscriber(
                topic,
                group_id=group_id,
                ack_policy=ack_policy,
                auto_offset_reset="earliest",
                batch=True,
                max_records=max_batch,
                batch_timeout_ms=5,
            )(self.on_batch)

    @property
    def event_types(self) -> tuple[str, ...]:
        """The event types it acts on (the AsyncAPI document's receive operations list them)."""
        return tuple(self._handlers)

    async def on_message(self, message: KafkaMessage) -> None:
        record = message.raw_message
        assert not isinstance(record, tuple)  # one record per call: this is not a batch subscriber
        await self._handle(record)

    async def on_batch(self, message: KafkaMessage) -> None:
        assert self._batch is not None
        records = message.raw_message
        assert isinstance(records, tuple)
        events: list[Event] = []
        traces: dict[UUID, Carrier] = {}
        for record in records:
            try:
                raw = RawEvent.model_validate_json(record.value or b"")
                if raw.event_type in self._handlers:
                    events.append(parse_event(raw))
                    traces[raw.event_id] = record_carrier(record.headers)
            except ValidationError:
                return await self._one_by_one(records)  # the slow path parks exactly what is wrong
        if not events:
            self._handled(len(records))
            return None
        try:
            with handling(records[0].topic, self.group_id, traces):
                await self._batch(events)
            self._handled(len(records))
        except Exception as error:
            if is_outage(error):
                self._retried()
                log.warning(
                    "%s: outage while handling a batch of %d; will retry", self.group_id, len(events), exc_info=True
                )
                await asyncio.sleep(self._retry.delay(1))
                raise  # NACK: Kafka hands the batch back; nothing is committed or parked
            log.warning(
                "%s: a batch of %d failed; applying it event by event", self.group_id, len(events), exc_info=True
            )
            await self._one_by_one(records)
        return None

    async def _one_by_one(self, records: tuple[ConsumerRecord, ...]) -> None:
        for record in records:
            await self._handle(record)

    async def _handle(self, record: ConsumerRecord) -> None:
        try:
            raw = RawEvent.model_validate_json(record.value or b"")
        except ValidationError as error:
            await self._dead_letter(record, error, attempts=1)
            return
        handler = self._handlers.get(raw.event_type)
        if handler is None:
            self._handled()
            return  # an event this consumer does not act on
        with (
            correlated(raw.correlation_id),
            handling(record.topic, self.group_id, {raw.event_id: record_carrier(record.headers)}),
        ):
            # Its logs and the events it causes carry the flow's id; its span continues the trace.
            await self._attempts(record, raw, handler)

    async def _attempts(self, record: ConsumerRecord, raw: RawEvent, handler: Handler) -> None:
        for attempt in range(1, self._retry.max_attempts + 1):
            try:
                await handler(parse_event(raw))
                log.info(
                    "%s: applied %s %s",
                    self.group_id,
                    raw.event_type,
                    raw.event_id,
                    extra={"event_type": raw.event_type, "event_id": str(raw.event_id)},
                )
                self._handled()
                return
            except ValidationError as error:
                await self._dead_letter(record, error, attempts=attempt)
                return
            except Exception as error:
                if is_outage(error):
                    self._retried()
                    log.warning("%s: outage while handling %s; will retry", self.group_id, raw.event_id, exc_info=True)
                    await asyncio.sleep(self._retry.delay(attempt))
                    raise  # NACK: Kafka hands the same message back; nothing is committed or parked
                if attempt == self._retry.max_attempts:
                    await self._dead_letter(record, error, attempts=attempt)
                    return
                self._retried()
                log.warning("%s: attempt %d failed for %s", self.group_id, attempt, raw.event_id, exc_info=True)
                await asyncio.sleep(self._retry.delay(attempt))

    def _handled(self, count: int = 1) -> None:
        metrics.HANDLED.labels(metrics.service(), self.topic, self.group_id).inc(count)

    def _retried(self) -> None:
        metrics.RETRIED.labels(metrics.service(), self.topic, self.group_id).inc()

    async def _dead_letter(self, record: ConsumerRecord, error: BaseException, attempts: int) -> None:
        metrics.DEAD_LETTERED.labels(metrics.service(), self.topic, self.group_id).inc()
        headers = {
            "x-origin-topic": record.topic,
            "x-origin-partition": str(record.partition),
            "x-origin-offset": str(record.offset),
            "x-consumer-group": self.group_id,
            "x-attempts": str(attempts),
            "x-error": f"{type(error).__name__}: {error}"[:2000],
        }
        log.error(
            "%s: parking message %s:%s@%s on the dead-letter topic: %s",
            self.group_id,
            record.topic,
            record.partition,
            record.offset,
            _without_values(error),
        )
        await self._broker.publish(record.value, dead_letter_topic(record.topic), key=record.key, headers=headers)


def _without_values(error: BaseException) -> str:
    """What went wrong, for the log: a validation error's fields and reasons without the values
    (an event's values are names and addresses; the dead letter itself keeps them)."""
    if isinstance(error, ValidationError):
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors(include_input=False))
        return f"ValidationError: {problems}"
    return f"{type(error).__name__}: {error}"[:2000]
