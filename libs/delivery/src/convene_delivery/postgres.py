"""Postgres types shared by the services, and what counts as an outage."""

from typing import Final, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# A connection of its own or one lent by a pool: every query helper accepts both.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy

# Failures of the infrastructure, not of the request or the message: answered with 503 over HTTP,
# retried for as long as they last by consumers. Deliberately not asyncpg.InterfaceError, which
# also means a programming error (a wrong number of arguments) that no retry can fix.
OUTAGES: Final[tuple[type[Exception], ...]] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,  # includes ConnectionDoesNotExistError
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
)
