"""When Postgres goes away a service says so (503) instead of failing obscurely, and comes back
by itself when Postgres returns (reliability property 10)."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.support.postgres_server import PostgresServer
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
        details = await client.get("/health/details")  # Kafka is no part of readiness: it shows here
        assert details.json()["checks"] == {"postgres": ready.json()["checks"]["postgres"], "kafka": "ok"}

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


async def test_a_rate_limited_endpoint_without_postgres_answers_503_and_lets_nothing_through(
    membership_behind_proxy: tuple[ServiceProcess, TcpProxy],
) -> None:
    """The rate limit is counted in Postgres: without it the answer is the outage's 503, neither a
    500 nor a request let through uncounted."""
    service, proxy = membership_behind_proxy
    async with httpx.AsyncClient(base_url=service.url, timeout=20) as client:
        await proxy.cut()
        refused = await client.post("/sign-in", json={"email": "ada@example.org"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "5"
        await proxy.restore()

        async def signs_in_again() -> bool:
            return (await client.post("/sign-in", json={"email": "ada@example.org"})).status_code == 202

        await wait_until(signs_in_again)


@pytest.fixture
async def membership_on_its_own_postgres(tmp_path: Path) -> AsyncIterator[tuple[ServiceProcess, PostgresServer]]:
    server = PostgresServer()
    await asyncio.to_thread(server.start)
    service = service_process(
        "membership", tmp_path, DATABASE_URL=server.dsn, KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap()
    )
    await asyncio.to_thread(service.start)
    yield service, server
    service.stop()
    await asyncio.to_thread(server.stop)


async def test_a_postgres_restart_under_requests_is_an_outage_answered_503_never_500(
    membership_on_its_own_postgres: tuple[ServiceProcess, PostgresServer],
) -> None:
    """The server restarts while requests keep coming: a request either succeeds or gets 503
    with Retry-After (the errors of a shutting-down server, AdminShutdown and CannotConnectNow
    among them, are outages), and the service serves again afterwards by itself."""
    service, server = membership_on_its_own_postgres
    answers: list[httpx.Response] = []
    restarted = asyncio.Event()

    async with httpx.AsyncClient(base_url=service.url, headers=OPERATOR, timeout=30) as client:

        async def keep_asking(worker: int) -> None:
            n = 0
            while (not restarted.is_set() or n < 5) and n < 1000:  # bounded, whatever happens
                n += 1
                answers.append(await client.post("/levels", json=LEVEL | {"name": f"Level {worker}-{n}"}))
                answers.append(await client.get("/levels"))

        askers = [asyncio.create_task(keep_asking(worker)) for worker in range(4)]
        await asyncio.sleep(0.5)
        await asyncio.to_thread(server.restart)
        restarted.set()
        await asyncio.gather(*askers)

        statuses = sorted({answer.status_code for answer in answers})
        assert set(statuses) <= {200, 201, 503}, [
            (a.status_code, a.text[:200]) for a in answers if a.status_code >= 500 and a.status_code != 503
        ]
        assert all(a.headers.get("Retry-After") for a in answers if a.status_code == 503)

        async def serves_again() -> bool:
            return (await client.post("/levels", json=LEVEL | {"name": "After the restart"})).status_code == 201

        await wait_until(serves_again)
