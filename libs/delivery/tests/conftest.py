"""Fixtures for the delivery plumbing's tests: a migrated database and a safe Kafka broker."""

from collections.abc import AsyncIterator

import asyncpg
import pytest
from faststream.kafka import KafkaBroker

from convene_delivery.kafka import KafkaPublisher, ensure_topics
from convene_delivery.migrations import DELIVERY_MIGRATIONS, MigrationSource, migrate
from tests.support.kafka import unique_topic
from tests.support.stack import kafka_bootstrap


@pytest.fixture
async def pool(database: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database holding the outbox and inbox tables (and a test effects table)."""
    conn = await asyncpg.connect(database)
    await migrate(conn, [MigrationSource("delivery", DELIVERY_MIGRATIONS)])
    await conn.execute("CREATE TABLE effects (event_id uuid NOT NULL, note text)")
    await conn.close()
    pool = await asyncpg.create_pool(database, min_size=1, max_size=8)
    yield pool
    await pool.close()


@pytest.fixture
async def topic() -> str:
    name = unique_topic()
    await ensure_topics(kafka_bootstrap(), [name], partitions=3)
    return name


@pytest.fixture
async def broker() -> AsyncIterator[KafkaBroker]:
    """A started broker with Convene's producer settings; tests add subscribers before `start`."""
    broker = KafkaBroker(kafka_bootstrap(), acks="all", enable_idempotence=True, allow_auto_create_topics=False)
    yield broker
    await broker.stop()


@pytest.fixture
async def publisher() -> AsyncIterator[KafkaPublisher]:
    """The relay's producer, as the services make it, closed afterwards."""
    made = KafkaPublisher(kafka_bootstrap(), client_id="relay-test")
    yield made
    await made.close()
