"""Fixtures every test folder shares: the real test stack's Postgres, Kafka and an SMTP server."""

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.databases import create_database, drop_database
from tests.support.smtp import SmtpServer

# The unit tier (docs/architecture.md): tests that need nothing running. They live in tests/unit/
# folders, and the architecture rules only read the code; `./convene test -m unit` runs them alone.
UNIT_FOLDERS = ("/tests/unit/", "/tests/architecture/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(folder in item.path.as_posix() for folder in UNIT_FOLDERS):
            item.add_marker(pytest.mark.unit)


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
