"""Readiness means "can serve its HTTP work", which needs Postgres only: with Kafka gone a service
stays ready and keeps taking requests (their events wait in the outbox), and the detailed health
endpoint says Kafka is down (docs/operations.md, "Health"). Postgres down is test_outages.py's."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.kafka_server import KafkaServer
from tests.support.services import OPERATOR, ServiceProcess, service_process
from tests.support.waiting import wait_until

LEVEL = {"name": "Student", "price_minor": 2500, "currency": "usd", "term": "annual"}


@pytest.fixture
async def membership_on_its_own_kafka(
    database: str, tmp_path: Path
) -> AsyncIterator[tuple[ServiceProcess, KafkaServer]]:
    kafka = KafkaServer()  # stopping the stack's broker would disturb every other test
    await kafka.start()
    service = service_process("membership", tmp_path, DATABASE_URL=database, KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap)
    try:
        await asyncio.to_thread(service.start)
        yield service, kafka
    finally:
        service.stop()
        await kafka.remove()


async def test_without_kafka_a_service_stays_ready_serves_and_shows_kafka_down_in_its_details(
    membership_on_its_own_kafka: tuple[ServiceProcess, KafkaServer],
) -> None:
    service, kafka = membership_on_its_own_kafka
    async with httpx.AsyncClient(base_url=service.url, headers=OPERATOR, timeout=20) as client:
        before = (await client.get("/health/details")).json()
        assert before["checks"] == {"postgres": "ok", "kafka": "ok"}

        async def leads() -> bool:  # the only relay of its database takes the lead
            return bool((await client.get("/health/details")).json()["relay"]["leader"])

        await wait_until(leads)
        await kafka.stop()

        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"ready": True, "checks": {"postgres": "ok"}}
        details = await client.get("/health/details")
        assert details.status_code == 200
        assert details.json()["checks"] == {"postgres": "ok", "kafka": "unavailable"}
        assert details.json()["ready"] is True
        created = await client.post("/levels", json=LEVEL)  # the request needs Postgres only
        assert created.status_code == 201, created.text
        assert (await client.get("/healthz")).json() == {"status": "ok"}
