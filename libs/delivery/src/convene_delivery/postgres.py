"""Postgres types shared by the services, and what counts as an outage."""

from typing import Final, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# A connection of its own or one lent by a pool: every query helper accepts both.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy

# Failures of the infrastructure, not of the request or the message: answered with 503 over HTTP,
# retried for as long as they last by consumers. Deliberately not asyncpg.InterfaceError, which
# also means a programming error (a wrong number of arguments) that no retry can fix: see
# `is_outage` for the InterfaceError an outage causes.
OUTAGES: Final[tuple[type[Exception], ...]] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,  # 08xxx, includes ConnectionDoesNotExistError
    # 57P01-57P05: the server is shutting down (a restart ends every session with AdminShutdown),
    # crashed, starting up (CannotConnectNow), or ended an idle session.
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.IdleSessionTimeoutError,
    asyncpg.InsufficientResourcesError,  # 53xxx: too many connections, disk full, out of memory
    asyncpg.ReadOnlySQLTransactionError,  # 25006: a failover left us on a standby for a moment
    # The client's protocol state when the server ended a session in the middle of an operation
    # ("cannot switch to state 15; another operation is in progress", asyncpg issues 784, 1069):
    # seen here on every Postgres restart under load; a fresh connection works.
    asyncpg.InternalClientError,
)


def is_outage(error: BaseException) -> bool:
    """An outage, or an error raised while handling one: the rollback that fails because the
    outage closed the connection raises InterfaceError, with the outage as its context."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OUTAGES):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
