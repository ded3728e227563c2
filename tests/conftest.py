"""The three services running as processes on the test stack, shared by the end-to-end and the
browser tests (one set of processes for the whole run)."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.databases import create_database, drop_database
from tests.support.services import SERVICES, Stack, service_process
from tests.support.smtp import SmtpServer, free_port
from tests.support.stack import kafka_bootstrap, stripe_api_base


@pytest.fixture(scope="session")
async def databases() -> AsyncIterator[dict[str, str]]:
    names = {name: await create_database(name) for name in SERVICES}
    yield names
    for dsn in names.values():
        await drop_database(dsn)


@pytest.fixture(scope="session")
def stack(
    databases: dict[str, str], smtp_server: SmtpServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    logs: Path = tmp_path_factory.mktemp("service-logs")
    ports = {name: free_port() for name in SERVICES}
    # Each service links to the others' pages, so each learns where they all listen.
    shared = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(),
        "CONSUMER_BACKOFF_SECONDS": "0.05",
        **{f"{name.upper()}_PAGES_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
    }
    processes = {
        "membership": service_process(
            "membership",
            logs,
            port=ports["membership"],
            DATABASE_URL=databases["membership"],
            STRIPE_API_BASE=stripe_api_base(),
            **shared,
        ),
        "conference": service_process(
            "conference",
            logs,
            port=ports["conference"],
            DATABASE_URL=databases["conference"],
            STRIPE_API_BASE=stripe_api_base(),
            **shared,
        ),
        "notifications": service_process(
            "notifications",
            logs,
            port=ports["notifications"],
            DATABASE_URL=databases["notifications"],
            SMTP_PORT=str(smtp_server.port),
            SEND_BACKOFF_SECONDS="0.2",
            SEND_MAX_ATTEMPTS="50",
            # a killed instance's claimed emails go again after 15 s, not the default 2 minutes
            SMTP_TIMEOUT_SECONDS="5",
            SEND_LEASE_SECONDS="15",
            # The cap is shared by every instance (docs/notifications.md): the suite's tests are
            # about what is sent, not how fast, and a second instance adds no rate of its own.
            SEND_RATE_PER_SECOND="1000",
            **shared,
        ),
    }
    try:
        for process in processes.values():
            process.start()
        yield Stack(**processes, databases=databases)
    finally:
        for process in processes.values():
            process.stop()
