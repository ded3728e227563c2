"""What every view reads through: the pool (one round trip per statement, no transaction) or,
inside a unit of work, its connection."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from convene_delivery.postgres import Connection

Db = asyncpg.Pool | Connection


class Reader:
    def __init__(self, db: Db) -> None:
        self.db = db

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """One connection for a view of several statements."""
        if isinstance(self.db, asyncpg.Pool):
            async with self.db.acquire() as conn:
                yield conn
        else:
            yield self.db
