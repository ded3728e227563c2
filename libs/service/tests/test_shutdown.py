"""A service that stops leaves no Kafka client of its own behind: the relay's producer, the
broker's clients and the consumer-lag reader's admin client and consumer are all closed by the
app's lifespan (convene_service.runtime), so nothing keeps talking to Kafka after shutdown."""

import asyncio
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from convene_service.runtime import create_app
from convene_service.settings import ServiceSettings
from convene_service.spec import ServiceSpec
from tests.support.kafka import unique_topic
from tests.support.stack import kafka_bootstrap


def kafka_tasks() -> list[str]:
    """The running asyncio tasks of Kafka clients (a started aiokafka client keeps its metadata
    synchroniser running until it is closed)."""
    running = [t.get_coro() for t in asyncio.all_tasks() if not t.done()]
    code = [getattr(coro, "cr_code", None) for coro in running]
    return sorted(f"{c.co_filename}:{c.co_qualname}" for c in code if c is not None and "/aiokafka/" in c.co_filename)


async def test_after_shutdown_no_kafka_client_is_left_open(database: str, tmp_path: Path) -> None:
    spec = ServiceSpec(
        name="shutdown-probe", settings_class=ServiceSettings, migrations=tmp_path, topics=[unique_topic()]
    )
    settings = ServiceSettings(
        database_url=database, kafka_bootstrap_servers=kafka_bootstrap(), operator_token_sha256="0" * 64
    )
    assert kafka_tasks() == []
    app = create_app(spec, settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe") as client:
            scraped = await client.get("/metrics")  # the lag reader opens its clients on a scrape
            assert scraped.status_code == 200
        assert kafka_tasks() != []  # the control: clients are open while the service runs
    assert kafka_tasks() == []
