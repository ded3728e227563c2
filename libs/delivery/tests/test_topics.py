"""The topics a service creates keep their events only as long as Convene says: the events carry
names and addresses (docs/privacy.md), so retention is set on each topic, not left to the broker.
So are the copies a write needs (min.insync.replicas)."""

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from convene_contracts import dead_letter_topic
from convene_delivery.kafka import ensure_topics
from tests.support.kafka import unique_topic
from tests.support.stack import kafka_bootstrap


async def topic_configs(name: str) -> dict[str, str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap())
    await admin.start()
    try:
        [response] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
    finally:
        await admin.close()
    [resource] = response.resources
    return {entry[0]: entry[1] for entry in resource[4]}


async def test_each_topic_and_its_dead_letter_topic_delete_events_after_the_retention() -> None:
    name = unique_topic()
    await ensure_topics(kafka_bootstrap(), [name], partitions=1, retention_days=0.5)
    for created in (name, dead_letter_topic(name)):
        configs = await topic_configs(created)
        assert configs["retention.ms"] == str(12 * 3600 * 1000), created
        assert configs["cleanup.policy"] == "delete", created


async def test_each_topic_asks_for_the_in_sync_copies_it_was_given() -> None:
    name = unique_topic()
    await ensure_topics(kafka_bootstrap(), [name], partitions=1, replication_factor=1, min_insync_replicas=2)
    for created in (name, dead_letter_topic(name)):
        assert (await topic_configs(created))["min.insync.replicas"] == "2", created
