"""A write that min.insync.replicas refuses is never recorded as published: on the three-broker
cluster, a topic of three copies that asks for all three in sync refuses every acks=all write
once a broker is dead (Kafka caps the setting at the replication factor, so a single broker
cannot show this). The outbox row stays; when the topic asks for two, the same row goes out.

It runs the real relay on an outbox of its own (a database made for it on the test's Postgres),
so the services' relays are not disturbed."""

import asyncio
from dataclasses import dataclass
from uuid import uuid4

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from convene_delivery.kafka import KafkaPublisher, ensure_topics
from convene_delivery.migrations import DELIVERY_MIGRATIONS, MigrationSource, migrate
from convene_delivery.outbox import add_to_outbox
from convene_delivery.relay import OutboxRelay, unpublished_count
from tests.support.events import activated
from tests.support.waiting import wait_until

REFUSED_WITHIN = 20.0  # seconds one relay pass may take on the refused topic


@dataclass
class RefusedWrites:
    bootstrap: str
    dsn: str
    topic: str = ""

    async def prepare(self, admin_dsn: str) -> None:
        """Before a broker dies: the topic (creating three copies needs three brokers), the outbox."""
        self.topic = f"refusals-{uuid4().hex[:8]}"
        await ensure_topics(self.bootstrap, [self.topic], partitions=1, replication_factor=3, min_insync_replicas=3)
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute("CREATE DATABASE refusals")
        finally:
            await admin.close()
        conn = await asyncpg.connect(self.dsn)
        try:
            await migrate(conn, [MigrationSource("delivery", DELIVERY_MIGRATIONS)])
        finally:
            await conn.close()

    async def counts(self, seconds: float = 120) -> dict[str, int]:
        """With one broker dead: relays the row while the topic wants three copies, then two."""
        pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=2)
        publisher = KafkaPublisher(self.bootstrap, client_id="refusals", request_timeout_ms=5000)
        relay = OutboxRelay(pool, self.dsn, publisher)
        try:
            async with pool.acquire() as conn, conn.transaction():
                await add_to_outbox(conn, self.topic, activated())
            refused = False
            try:
                # The producer may go on retrying the refusal: the batch is given a bounded time,
                # and being cut off (its transaction rolled back) is the relay's crash case.
                await asyncio.wait_for(relay.relay_batch(), REFUSED_WITHIN)
            except Exception:  # noqa: BLE001 - NOT_ENOUGH_REPLICAS, the producer's timeout, or ours
                refused = True
            await publisher.reset()  # as the relay's loop does after a failed batch
            async with pool.acquire() as conn:
                kept = await unpublished_count(conn)
            changed = False

            async def published() -> bool:
                nonlocal changed
                try:
                    # Asked again until Kafka says done: right after a broker died, its
                    # controller quorum may answer the change with an error code.
                    changed = changed or await self._want_in_sync(2)
                    return changed and await asyncio.wait_for(relay.relay_batch(), REFUSED_WITHIN) == 1
                except Exception:  # noqa: BLE001 - the leader may still be moving: the relay tries again
                    await publisher.reset()
                    return False

            await wait_until(published, seconds=seconds)
            async with pool.acquire() as conn:
                left = await unpublished_count(conn)
        finally:
            await publisher.close()
            await pool.close()
        return {
            "writes min.insync.replicas refused but taken": 0 if refused else 1,
            "refused writes marked published": 1 - kept,
            "accepted writes left unpublished": left,
        }

    async def _want_in_sync(self, copies: int) -> bool:
        """Whether Kafka took the change (aiokafka returns its error codes rather than raising)."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            wanted = {"min.insync.replicas": str(copies)}
            answers = await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, self.topic, wanted)])
        finally:
            await admin.close()
        return all(resource[0] == 0 for answer in answers for resource in answer.resources)
