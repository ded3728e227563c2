"""The outbox relay: moves committed outbox rows to Kafka, in order, at least once.

One relay per database leads at a time (a session advisory lock), so one aggregate's events are
published in the order they were written even with several instances running; the others wait
as standbys. The leader claims rows with FOR UPDATE SKIP LOCKED, publishes the batch with the
idempotent producer, and marks the rows published in the same transaction. A crash before that
commit leaves the rows unpublished and they go out again: consumers' inboxes absorb the repeat.
"""

import asyncio
import json
import logging
from collections.abc import Awaitable
from contextlib import ExitStack, suppress
from typing import Any, Protocol

import asyncpg

from convene_delivery import metrics
from convene_delivery.outbox import OUTBOX_CHANNEL
from convene_delivery.postgres import Connection
from convene_delivery.tracing import publishing

log = logging.getLogger(__name__)

_LEADER_LOCK = 0x6F7574  # per database: each service has its own
LEADER_LOCK = _LEADER_LOCK  # public for those who ask who leads (the operator's `outbox status`)


class Publisher(Protocol):
    """Queues one message and returns a future that resolves when Kafka has acknowledged it."""

    async def __call__(self, topic: str, key: bytes, body: bytes, headers: dict[str, str]) -> Awaitable[Any]: ...

    async def reset(self) -> None:
        """Starts afresh after a failure: a producer that failed may never publish again."""


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        dsn: str,
        publish: Publisher,
        *,
        batch_size: int = 1000,
        poll_seconds: float = 1.0,
        retry_seconds: float = 1.0,
    ) -> None:
        self._pool = pool
        self._dsn = dsn
        self._publish = publish
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._retry_seconds = retry_seconds
        self.leading = False  # holds the leader lock now (the detailed health endpoint shows it)

    async def run(self) -> None:
        """Runs until cancelled; Postgres or Kafka outages only pause it."""
        while True:
            try:
                await self._lead()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox relay paused; retrying in %.1fs", self._retry_seconds, exc_info=True)
                await self._publish.reset()
                await asyncio.sleep(self._retry_seconds)

    async def _lead(self) -> None:
        listener = await asyncpg.connect(self._dsn)
        leader = metrics.RELAY_LEADER.labels(metrics.service())
        try:
            wake = asyncio.Event()
            await listener.add_listener(OUTBOX_CHANNEL, lambda *_: wake.set())
            await self._wait_for_leadership(listener)
            self.leading = True
            leader.set(1)
            while True:
                wake.clear()
                if await self.relay_batch() == self._batch_size:
                    continue  # a backlog: keep draining without waiting
                with suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self._poll_seconds)
                # Also proves the listening connection, and with it leadership, is still alive.
                await listener.execute("SELECT 1")
        finally:
            self.leading = False
            leader.set(0)
            listener.terminate()

    async def _wait_for_leadership(self, listener: Connection) -> None:
        """Standby until no other relay of this database leads (the lock dies with its session)."""
        while True:
            if await listener.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK):
                return
            await asyncio.sleep(self._poll_seconds)

    async def relay_batch(self) -> int:
        """Publishes one batch of unpublished rows; returns how many."""
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                """SELECT id, event_id, event_type, topic, message_key, body, headers, trace_context FROM outbox
                   WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""",
                self._batch_size,
            )
            if not rows:
                return 0
            # A traced row's publish span lasts until Kafka acknowledged it.
            with ExitStack() as spans:
                acknowledgements = []
                for row in rows:
                    headers = _headers(row)
                    spans.enter_context(publishing(row["topic"], _json(row["trace_context"]), headers))
                    acknowledgements.append(
                        await self._publish(row["topic"], row["message_key"].encode(), bytes(row["body"]), headers)
                    )
                await asyncio.gather(*acknowledgements)
            await conn.execute(
                "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", [row["id"] for row in rows]
            )
        for row in rows:  # counted once the commit made them published
            metrics.PUBLISHED.labels(metrics.service(), row["topic"], row["event_type"]).inc()
        return len(rows)


def _json(raw: Any) -> dict[str, Any]:
    """A jsonb column as asyncpg returns it (text, unless a codec is set), or {} for NULL."""
    return dict(json.loads(raw)) if isinstance(raw, str) else dict(raw or {})


def _headers(row: asyncpg.Record) -> dict[str, str]:
    """The relay's own headers, then the row's (a dead letter's origin and error), as strings."""
    extra = _json(row["headers"])
    return {"event_type": row["event_type"], "event_id": str(row["event_id"])} | {k: str(v) for k, v in extra.items()}


async def unpublished_count(conn: Connection) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    return count
