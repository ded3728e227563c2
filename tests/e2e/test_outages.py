"""When Postgres goes away a service says so (503) instead of failing obscurely, and comes back
by itself when Postgres returns (reliability property 10)."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.support.proxy import TcpProxy
from tests.support.services import OPERATOR, ServiceProcess, service_process
from tests.support.stack import kafka_bootstrap
from tests.support.waiting import wait_until


@pytest.fixture
async def membership_behind_proxy(database: str, tmp_path: Path) -> AsyncIterator[tuple[ServiceProcess, TcpProxy]]:
    target = urlsplit(database)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    via_proxy = urlunsplit(target._replace(netloc=f"{target.username}@127.0.0.1:{proxy.port}"))
    service = service_process("membership", tmp_path, DATABASE_URL=via_proxy, KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap())
    await asyncio.to_thread(service.start)  # the proxy serves from this event loop meanwhile
    yield service, proxy
    service.stop()


LEVEL = {"name": "Individual", "price_minor": 7500, "currency": "usd", "term": "annual"}


async def test_without_postgres_requests_get_503_and_the_service_recovers_by_itself(
    membership_behind_proxy: tuple[ServiceProcess, TcpProxy],
) -> None:
    service, proxy = membership_behind_proxy
    async with httpx.AsyncClient(base_url=service.url, headers=OPERATOR, timeout=20) as client:
        await proxy.cut()

        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["postgres"].startswith("unavailable")
        assert ready.json()["checks"]["kafka"] == "ok"

        refused = await client.post("/levels", json=LEVEL)
        assert refused.status_code == 503
        assert "database is unavailable" in refused.json()["detail"]
        assert refused.headers["Retry-After"] == "5"

        await proxy.restore()

        async def ready_again() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await wait_until(ready_again)
        created = await client.post("/levels", json=LEVEL)
        assert created.status_code == 201, created.text
        assert (await client.get("/healthz")).json() == {"status": "ok"}
