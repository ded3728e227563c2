"""Fixtures every test folder shares: the real test stack's Postgres, Kafka and an SMTP server."""

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.databases import create_database, drop_database
from tests.support.smtp import SmtpServer


@pytest.fixture
async def database() -> AsyncIterator[str]:
    """DSN of a new, empty database on the test cluster, dropped afterwards."""
    dsn = await create_database()
    yield dsn
    await drop_database(dsn)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
