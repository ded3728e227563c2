"""`/health/details` shows each consumer of the process: its group, its topics, the partitions
assigned to it and whether it runs (docs/operations.md, "Health")."""

from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from convene_contracts import Event
from convene_delivery.consumer import Subscription
from convene_delivery.kafka import ensure_topics
from convene_service.runtime import create_app
from convene_service.settings import ServiceSettings
from convene_service.spec import Runtime, ServiceSpec
from tests.support.kafka import unique_topic
from tests.support.stack import kafka_bootstrap
from tests.support.waiting import wait_until


async def test_the_details_show_each_consumer_its_group_topics_and_assigned_partitions(
    database: str, tmp_path: Path
) -> None:
    topic = unique_topic()
    await ensure_topics(kafka_bootstrap(), [topic], partitions=3)

    async def ignore(event: Event) -> None:
        pass

    async def subscribe(runtime: Runtime) -> None:
        handlers = {"membership.activated": ignore}
        Subscription(runtime.broker, topic=topic, group_id="probe-readers", handlers=handlers, retry=runtime.retry)

    spec = ServiceSpec(
        name="details-probe", settings_class=ServiceSettings, migrations=tmp_path, topics=[topic], start=subscribe
    )
    settings = ServiceSettings(
        database_url=database, kafka_bootstrap_servers=kafka_bootstrap(), operator_token_sha256="0" * 64
    )
    app = create_app(spec, settings)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe", timeout=30) as client,
    ):

        async def consumers() -> list[dict[str, object]]:
            answer = await client.get("/health/details")
            assert answer.status_code == 200, answer.text
            found: list[dict[str, object]] = answer.json()["consumers"]
            return found

        async def assigned() -> bool:  # the group's first rebalance gives it every partition
            return any(c["assigned"] for c in await consumers())

        await wait_until(assigned, seconds=60)
        assert await consumers() == [
            {"group": "probe-readers", "topics": [topic], "assigned": {topic: [0, 1, 2]}, "running": True}
        ]
