"""The operator command line on a running installation: `demo` fills the pages through the
services' APIs and signed webhooks, and `backup` then `restore` into a fresh Postgres cluster
gives back an installation that holds the data and works (docs/operations.md)."""

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from convene_web.sessions import SESSION_COOKIE
from convene_web.settings import WebSettings
from tests.support.databases import create_database, drop_database
from tests.support.kafka_server import KafkaServer
from tests.support.operator_world import SESSION_SECRET, TOKEN, Installation
from tests.support.postgres_server import PostgresServer
from tests.support.services import SERVICES
from tests.support.smtp import SmtpServer
from tests.support.staff import staff_cookie
from tests.support.waiting import wait_until

# Two installations' start (a Kafka broker, the services twice) on a 2-core machine: a budget of its own.
pytestmark = pytest.mark.timeout(600)
OPERATOR = {"Authorization": f"Bearer {TOKEN}"}
CONFERENCE = "CIT International Conference 2027"


@pytest.fixture(scope="module")
async def databases() -> AsyncIterator[dict[str, str]]:
    names = {name: await create_database(name) for name in SERVICES}
    yield names
    for dsn in names.values():
        await drop_database(dsn)


@pytest.fixture(scope="module")
async def installation(
    databases: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Installation]:
    kafka, smtp = KafkaServer(), SmtpServer()
    smtp.start()
    await kafka.start()
    world = Installation(kafka, smtp, tmp_path_factory.mktemp("operator-logs"), {})
    try:
        world.start(databases)
        yield world
    finally:
        world.stop()
        await kafka.remove()
        smtp.stop()


@pytest.fixture(scope="module")
def seeded(installation: Installation) -> Installation:
    ran = installation.admin("demo")
    assert ran.returncode == 0, ran.stderr
    return installation


async def page(world: Installation, service: str, path: str, operator: bool = False) -> str:
    """The page's HTML, as a visitor (or a signed-in operator) gets it."""
    cookie = staff_cookie(WebSettings.model_construct(session_secret=SESSION_SECRET))
    cookies = {SESSION_COOKIE: cookie} if operator else {}
    async with httpx.AsyncClient(base_url=world.url(service), cookies=cookies, timeout=30) as client:
        response = await client.get(path)
        assert response.status_code == 200, response.text
        return response.text


async def members(world: Installation, **query: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=world.url("membership"), headers=OPERATOR) as client:
        response = await client.get("/members", params=query | {"limit": "500"})
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()
        return found


async def delivered_to(world: Installation, email: str) -> bool:
    async with httpx.AsyncClient(base_url=world.url("notifications"), headers=OPERATOR) as client:
        response = await client.get("/deliveries", params={"recipient": email, "delivery_status": "sent"})
        assert response.status_code == 200, response.text
        return len(response.json()) > 0


async def test_demo_fills_the_public_and_operator_pages_once(seeded: Installation) -> None:
    levels = await page(seeded, "membership", "/membership/join")
    assert "Individual Member" in levels
    assert "Agency Member" in levels
    assert CONFERENCE in await page(seeded, "conference", "/events")
    # Members in every status; the dues calendar moves the backdated cheques to grace and lapsed.
    await wait_until(lambda: statuses(seeded, {"active", "pending", "in_grace", "lapsed"}))
    # Every email went through Kafka and notifications: the delivery log shows them.
    await wait_until(lambda: delivered_to(seeded, "maria.alvarez@example.org"))
    assert "Maria Alvarez" in await page(seeded, "membership", "/membership/operator/members", operator=True)
    assert CONFERENCE in await page(seeded, "conference", "/events/operator", operator=True)
    assert "maria.alvarez@example.org" in await page(seeded, "notifications", "/mail/operator/deliveries", True)

    before = len(await members(seeded))
    # The second time the local stack's way, which runs the same command.
    again = seeded.convene_demo()
    assert again.returncode == 0, again.stderr
    assert "seeded already" in again.stderr
    assert len(await members(seeded)) == before


async def statuses(world: Installation, wanted: set[str]) -> bool:
    found = {m["status"] for m in await members(world)}
    print("member statuses:", found)  # shown when the wait fails
    return wanted <= found


async def test_a_backup_restored_into_a_fresh_cluster_holds_the_data_and_works(
    seeded: Installation, databases: dict[str, str], tmp_path: Path
) -> None:
    await wait_until(lambda: delivered_to(seeded, "alex.romero@example.org"))
    backup = seeded.admin("backup", "--output", str(tmp_path / "backup"), databases=databases)
    assert backup.returncode == 0, backup.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert set(manifest["databases"]) == set(SERVICES)
    assert all(entry["migration_heads"] for entry in manifest["databases"].values())

    refused = seeded.admin("restore", "--input", str(tmp_path / "backup"), databases=databases)
    assert refused.returncode == 1
    assert "not empty" in refused.stderr

    fresh = PostgresServer()
    fresh.start()
    try:
        restored = {name: fresh.dsn.rsplit("/", 1)[0] + f"/{name}" for name in SERVICES}
        ran = seeded.admin("restore", "--input", str(tmp_path / "backup"), databases=restored)
        assert ran.returncode == 0, ran.stderr
        seeded.stop()
        seeded.start(restored)
        await _find_the_data_and_a_new_join(seeded, restored)
    finally:
        seeded.stop()
        fresh.stop()


async def _find_the_data_and_a_new_join(world: Installation, restored: dict[str, str]) -> None:
    [maria] = await members(world, q="maria.alvarez@example.org")
    assert maria["name"] == "Maria Alvarez"
    assert await delivered_to(world, "alex.romero@example.org")
    conn = await asyncpg.connect(restored["conference"])
    try:
        conference_id = await conn.fetchval("SELECT id FROM conferences WHERE name = $1", CONFERENCE)
    finally:
        await conn.close()
    async with httpx.AsyncClient(base_url=world.url("conference"), headers=OPERATOR) as client:
        registrations = await client.get(f"/conferences/{conference_id}/registrations.csv")
        assert registrations.status_code == 200, registrations.text
        assert "alex.romero@example.org" in registrations.text
    async with httpx.AsyncClient(base_url=world.url("membership"), headers=OPERATOR) as client:
        [level] = [x for x in (await client.get("/levels")).json() if x["name"] == "Individual Member"]
        body = {"name": "Noor Haddad", "email": "noor.haddad@example.org", "level_id": level["id"]}
        body |= {"amount_minor": 7500, "currency": "usd", "method": "cheque", "reference": "CHQ-after-restore"}
        paid = await client.post("/offline-payments", json=body)
        assert paid.status_code == 201, paid.text
    await wait_until(lambda: delivered_to(world, "noor.haddad@example.org"))
