"""B5: 100,000 committed outbox rows -> Kafka through the relay, events per second.

The relay is part of every service; here it runs in the benchmark's process against a scratch
database and topic, with the same producer settings (acks=all, idempotence)."""

import asyncio
import time
from typing import Any
from uuid import uuid4

import asyncpg

from bench.stack import KAFKA, POSTGRES
from convene_delivery.kafka import KafkaPublisher, ensure_topics
from convene_delivery.migrations import DELIVERY_MIGRATIONS, MigrationSource, migrate
from convene_delivery.relay import OutboxRelay

ROWS = 100_000


async def _run() -> dict[str, Any]:
    database, topic = f"bench_relay_{uuid4().hex[:8]}", f"bench.relay.{uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{POSTGRES}/postgres")
    await admin.execute(f'CREATE DATABASE "{database}"')
    dsn = f"{POSTGRES}/{database}"
    try:
        conn = await asyncpg.connect(dsn)
        await migrate(conn, [MigrationSource("delivery", DELIVERY_MIGRATIONS)])
        body = b'{"event_type":"bench.ping","payload":{"n":0}}' + b" " * 300  # about a real event's size
        await conn.copy_records_to_table(
            "outbox",
            columns=["event_id", "event_type", "topic", "message_key", "body"],
            records=[(uuid4(), "bench.ping", topic, str(i % 1000), body) for i in range(ROWS)],
        )
        await conn.close()
        await ensure_topics(KAFKA, [topic], partitions=3)
        publisher = KafkaPublisher(KAFKA, "bench-relay", linger_ms=5, max_batch_size=1024 * 1024)
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
        relay = OutboxRelay(pool, dsn, publisher, batch_size=5000)
        started = time.perf_counter()
        while await relay.relay_batch():
            pass
        seconds = time.perf_counter() - started
        left = await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        await pool.close()
        await publisher.close()
        return {"b5_events_per_second": ROWS / seconds, "b5_unpublished_after": left}
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


def run() -> dict[str, Any]:
    return asyncio.run(_run())
