"""The three services running as processes on the test stack, shared by the end-to-end tests."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.databases import create_database, drop_database
from tests.support.services import ServiceProcess, service_process
from tests.support.smtp import SmtpServer
from tests.support.stack import kafka_bootstrap, stripe_api_base

OPERATOR = {"Authorization": "Bearer local-operator-token-change-me"}  # its SHA-256 is in deploy/env


@dataclass
class Stack:
    membership: ServiceProcess
    conference: ServiceProcess
    notifications: ServiceProcess
    databases: dict[str, str]


@pytest.fixture(scope="session")
async def databases() -> AsyncIterator[dict[str, str]]:
    names = {name: await create_database(name) for name in ("membership", "conference", "notifications")}
    yield names
    for dsn in names.values():
        await drop_database(dsn)


@pytest.fixture(scope="session")
def stack(
    databases: dict[str, str], smtp_server: SmtpServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    logs: Path = tmp_path_factory.mktemp("service-logs")
    shared = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(), "CONSUMER_BACKOFF_SECONDS": "0.05"}
    processes = {
        "membership": service_process(
            "membership", logs, DATABASE_URL=databases["membership"], STRIPE_API_BASE=stripe_api_base(), **shared
        ),
        "conference": service_process(
            "conference", logs, DATABASE_URL=databases["conference"], STRIPE_API_BASE=stripe_api_base(), **shared
        ),
        "notifications": service_process(
            "notifications",
            logs,
            DATABASE_URL=databases["notifications"],
            SMTP_PORT=str(smtp_server.port),
            SEND_BACKOFF_SECONDS="0.2",
            SEND_MAX_ATTEMPTS="50",
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
