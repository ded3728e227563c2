"""The unit of work in Postgres: one transaction on a pooled connection, with its repository
and views, rolled back unless committed; `commit(events)` writes the events to the outbox in the
same transaction (convene_delivery.outbox)."""

from collections.abc import Sequence
from types import TracebackType
from typing import Self

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from asyncpg.transaction import Transaction

from convene_contracts import NOTIFICATIONS, Event
from convene_contracts.audit import NotificationAuditRecorded
from convene_delivery.outbox import add_to_outbox
from convene_service.audit import write_audit
from notifications.adapters.repository import PostgresDeliveries
from notifications.adapters.views import PostgresViews


class PostgresUnitOfWork:
    deliveries: PostgresDeliveries
    views: PostgresViews
    _conn: PoolConnectionProxy  # from `async with` on: a unit of work is used once
    _transaction: Transaction

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._committed = False

    async def __aenter__(self) -> Self:
        conn = await self._pool.acquire()
        try:
            self._transaction = conn.transaction()
            await self._transaction.start()
        except BaseException:
            await self._pool.release(conn)
            raise
        self._conn = conn
        self.deliveries = PostgresDeliveries(conn)
        self.views = PostgresViews(conn)
        return self

    async def commit(self, events: Sequence[Event] = ()) -> None:
        audited = await write_audit(self._conn, "notifications", NotificationAuditRecorded)
        await add_to_outbox(self._conn, NOTIFICATIONS, *events, *([audited] if audited else []))
        await self._transaction.commit()
        self._committed = True

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                await self._transaction.rollback()
        finally:
            await self._pool.release(self._conn)
