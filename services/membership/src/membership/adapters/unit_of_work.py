"""The Postgres unit of work: one pooled connection, one transaction holding the state change
and its outbox events."""

from collections.abc import Sequence
from types import TracebackType
from typing import Self

import asyncpg

from convene_contracts import MEMBERSHIP, Event
from convene_delivery.outbox import add_to_outbox
from convene_service.audit import has_audit_note, write_audit
from membership.adapters.repository.exports import SqlExports
from membership.adapters.repository.imports import SqlImports
from membership.adapters.repository.levels import SqlLevels
from membership.adapters.repository.members import SqlMembers
from membership.adapters.repository.memberships import SqlMemberships
from membership.adapters.repository.payments import SqlPayments
from membership.adapters.repository.seats import SqlSeats
from membership.adapters.repository.sessions import SqlSessions
from membership.adapters.repository.staff import SqlStaff
from membership.adapters.transaction import Transaction
from membership.adapters.views import SqlViews


class PostgresUnitOfWork:
    """Rolls back unless `commit` was called; `commit` writes the events to the outbox first.
    The transaction begins on the first repository statement (see `Transaction`)."""

    levels: SqlLevels
    members: SqlMembers
    memberships: SqlMemberships
    payments: SqlPayments
    seats: SqlSeats
    sessions: SqlSessions
    exports: SqlExports
    staff: SqlStaff
    imports: SqlImports
    views: SqlViews

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def __aenter__(self) -> Self:
        self._conn = await self._pool.acquire()
        self._transaction = Transaction(self._conn)
        self.levels = SqlLevels(self._transaction)
        self.members = SqlMembers(self._transaction)
        self.memberships = SqlMemberships(self._transaction)
        self.payments = SqlPayments(self._transaction)
        self.seats = SqlSeats(self._transaction)
        self.sessions = SqlSessions(self._transaction)
        self.exports = SqlExports(self._transaction)
        self.staff = SqlStaff(self._transaction)
        self.imports = SqlImports(self._transaction)
        self.views = SqlViews(self._conn)
        self._committed = False
        return self

    async def commit(self, events: Sequence[Event]) -> None:
        if events or has_audit_note():
            conn = await self._transaction.begin()
            await write_audit(conn, "membership")
            await add_to_outbox(conn, MEMBERSHIP, *events)
        await self._transaction.commit()
        self._committed = True

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                await self._transaction.rollback()
        finally:
            await self._pool.release(self._conn)
