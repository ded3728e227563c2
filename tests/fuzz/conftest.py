"""The three services as processes of their own for the fuzzing run: fresh databases, and a rate
limit high enough that schemathesis's thousands of calls are never refused with 429 for being
many, and conference's caps on unpaid seats per client and per email lifted likewise, so the
stateful phase keeps making holds to follow (both are tested elsewhere: the caps in
services/conference/tests/test_fair_holds.py); a member signed in through the API for `/me`."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from tests.support.databases import create_database, drop_database
from tests.support.services import OPERATOR, SERVICES, ServiceProcess, service_process
from tests.support.signing_in import emailed_sign_in_link
from tests.support.smtp import SmtpServer, free_port
from tests.support.stack import kafka_bootstrap, stripe_api_base

FUZZ_RATE_LIMIT = "1000000"  # per client per minute: the fuzzer is one client making every call
FUZZ_UNPAID_SEATS = "1000000"  # per client and per email: its holds come from one address, few emails


@pytest.fixture(scope="session")
async def fuzz_databases() -> AsyncIterator[dict[str, str]]:
    names = {name: await create_database(f"fuzz_{name}") for name in SERVICES}
    yield names
    for dsn in names.values():
        await drop_database(dsn)


@pytest.fixture(scope="session")
def fuzzed(
    fuzz_databases: dict[str, str], smtp_server: SmtpServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, ServiceProcess]]:
    logs: Path = tmp_path_factory.mktemp("fuzz-logs")
    ports = {name: free_port() for name in SERVICES}
    shared = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(),
        "RATE_LIMIT_PER_MINUTE": FUZZ_RATE_LIMIT,
        **{f"{name.upper()}_PAGES_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
    }
    specific = {
        "membership": {"STRIPE_API_BASE": stripe_api_base()},
        "conference": {
            "STRIPE_API_BASE": stripe_api_base(),
            "UNPAID_SEATS_PER_CLIENT": FUZZ_UNPAID_SEATS,
            "UNPAID_SEATS_PER_EMAIL": FUZZ_UNPAID_SEATS,
        },
        "notifications": {"SMTP_PORT": str(smtp_server.port)},
    }
    processes = {
        name: service_process(
            name, logs, port=ports[name], DATABASE_URL=fuzz_databases[name], **shared, **specific[name]
        )
        for name in SERVICES
    }
    try:
        for process in processes.values():
            process.start(ready_within=180)  # a loaded CI machine imports slowly
        yield processes
    finally:
        for process in processes.values():
            process.stop()


@pytest.fixture(scope="session")
async def member_session(fuzzed: dict[str, ServiceProcess], smtp_server: SmtpServer) -> str:
    """A member's session token, got as a member gets one: an offline payment makes the member,
    the sign-in link comes by email, and redeeming it gives the session."""
    email = f"fuzz-{uuid4().hex[:8]}@example.org"
    async with httpx.AsyncClient(base_url=fuzzed["membership"].url) as client:
        level = await client.post(
            "/levels",
            headers=OPERATOR,
            json={"name": f"Fuzzed {uuid4().hex[:6]}", "price_minor": 5000, "currency": "usd", "term": "annual"},
        )
        assert level.status_code == 201, level.text
        paid = await client.post(
            "/offline-payments",
            headers=OPERATOR,
            json={
                "name": "Fuzz Member",
                "email": email,
                "level_id": level.json()["id"],
                "amount_minor": 5000,
                "currency": "usd",
                "method": "cheque",
                "reference": "CHQ-FUZZ",
            },
        )
        assert paid.status_code == 201, paid.text
        assert (await client.post("/sign-in", json={"email": email})).status_code == 202
        link = await emailed_sign_in_link(smtp_server, email)
        session = await client.post(f"/sign-in/{link.rsplit('/', 1)[1].split('?')[0]}")
        assert session.status_code == 200, session.text
        token: str = session.json()["session_token"]
    return token
