"""The pooled connection a unit of work lends its repositories, with the transaction begun on
their first statement: a unit of work that only reads views (a page, a session check) sends no
BEGIN, exactly as those reads ran on the pool before they moved behind the unit of work."""

from typing import Any

import asyncpg

from convene_delivery.postgres import Connection


class Transaction:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._transaction = conn.transaction()
        self.begun = False

    async def begin(self) -> Connection:
        if not self.begun:
            await self._transaction.start()
            self.begun = True
        return self.conn

    async def commit(self) -> None:
        if self.begun:
            await self._transaction.commit()

    async def rollback(self) -> None:
        if self.begun:
            await self._transaction.rollback()

    async def execute(self, query: str, *args: Any) -> str:
        return await (await self.begin()).execute(query, *args)

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        return await (await self.begin()).fetch(query, *args)

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        return await (await self.begin()).fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await (await self.begin()).fetchval(query, *args)
