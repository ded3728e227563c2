"""KAFKA_BOOTSTRAP_SERVERS may list several brokers (host:port,host:port), as a cluster's
operator writes it: every Kafka client of a service must take the list, not one host name."""

from dataclasses import dataclass

from convene_delivery.kafka import make_broker
from tests.support.kafka import read_topic
from tests.support.smtp import free_port
from tests.support.stack import kafka_bootstrap


@dataclass(frozen=True)
class Settings:
    kafka_bootstrap_servers: str
    kafka_acks: str = "all"
    kafka_enable_idempotence: bool = True


async def test_the_services_broker_starts_from_a_list_whose_first_broker_is_away(topic: str) -> None:
    # The first address answers nothing: the client must go on to the next one in the list.
    servers = f"127.0.0.1:{free_port()},{kafka_bootstrap()}"
    broker = make_broker(Settings(servers), client_id="bootstrap-list-test")
    await broker.start()
    try:
        await broker.publish(b"reached", topic=topic, key=b"k")
    finally:
        await broker.stop()
    assert [r.value for r in await read_topic(topic, at_least=1)] == [b"reached"]
