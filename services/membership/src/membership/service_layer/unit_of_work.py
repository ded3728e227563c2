"""The unit of work: one Postgres transaction holding the state change and its outbox events."""

from collections.abc import Sequence
from types import TracebackType
from typing import Self

import asyncpg

from convene_contracts import MEMBERSHIP, Event
from convene_delivery.outbox import add_to_outbox
from membership.adapters.repository import SqlRepository


class UnitOfWork:
    """Rolls back unless `commit` was called; `commit` writes the events to the outbox first."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def __aenter__(self) -> Self:
        self._conn = await self._pool.acquire()
        self._transaction = self._conn.transaction()
        await self._transaction.start()
        self.repo = SqlRepository(self._conn)
        self._committed = False
        return self

    async def commit(self, events: Sequence[Event]) -> None:
        if events:
            await add_to_outbox(self._conn, MEMBERSHIP, *events)
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
