"""What counts as an outage (503 over HTTP, retried without dead-lettering by consumers)."""

import asyncpg
import pytest

from convene_delivery.postgres import is_outage


def _raised_while_handling(first: Exception, then: Exception) -> Exception:
    try:
        try:
            raise first
        except type(first):
            raise then  # noqa: B904 - the implicit context is what is under test
    except type(then) as error:
        return error


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.CrashShutdownError("crash"),
        asyncpg.TooManyConnectionsError("too many"),
        asyncpg.ReadOnlySQLTransactionError("read only"),
        ConnectionRefusedError(111, "refused"),
        asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress"),
    ],
)
def test_a_server_going_away_is_an_outage(error: Exception) -> None:
    assert is_outage(error)


def test_the_failed_rollback_after_an_outage_is_still_the_outage() -> None:
    closed = asyncpg.InterfaceError("cannot call Transaction.rollback(): the underlying connection is closed")
    assert is_outage(_raised_while_handling(asyncpg.AdminShutdownError("shutting down"), closed))


def test_a_programming_error_is_no_outage() -> None:
    assert not is_outage(asyncpg.InterfaceError("the server expects 2 arguments, 1 was passed"))
    assert not is_outage(_raised_while_handling(ValueError("bad"), KeyError("worse")))
    assert not is_outage(asyncpg.UniqueViolationError("duplicate key"))
