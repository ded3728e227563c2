"""Levels (M1): what members can join, at what price and term."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from membership.adapters.transaction import Transaction
from membership.domain.errors import LevelNameTaken
from membership.domain.model import Level, LevelKind, Term


def level_of(row: asyncpg.Record) -> Level:
    return Level(
        id=row["id"],
        name=row["name"],
        price_minor=row["price_minor"],
        currency=row["currency"],
        term=Term(row["term"]),
        kind=LevelKind(row["kind"]),
        seat_count=row["seat_count"],
        description=row["description"],
        retired=row["retired_at"] is not None,
    )


class SqlLevels:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def add(self, level: Level) -> None:
        try:
            await self.conn.execute(
                """INSERT INTO levels (id, name, price_minor, currency, term, kind, seat_count, description)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                level.id,
                level.name,
                level.price_minor,
                level.currency,
                level.term.value,
                level.kind.value,
                level.seat_count,
                level.description,
            )
        except asyncpg.UniqueViolationError:
            raise LevelNameTaken(level.name) from None

    async def update(self, level_id: UUID, changes: dict[str, Any]) -> Level | None:
        if changes:
            assignments = ", ".join(f"{column} = ${i}" for i, column in enumerate(changes, start=2))
            try:
                await self.conn.execute(f"UPDATE levels SET {assignments} WHERE id = $1", level_id, *changes.values())  # noqa: S608 - column names come from code, not input
            except asyncpg.UniqueViolationError:
                raise LevelNameTaken(changes.get("name", "")) from None
        return await self.get(level_id, include_retired=True)

    async def retire(self, level_id: UUID, at: datetime) -> Level | None:
        await self.conn.execute("UPDATE levels SET retired_at = coalesce(retired_at, $2) WHERE id = $1", level_id, at)
        return await self.get(level_id, include_retired=True)

    async def get(self, level_id: UUID, *, include_retired: bool = False) -> Level | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM levels WHERE id = $1 AND (retired_at IS NULL OR $2)", level_id, include_retired
        )
        return None if row is None else level_of(row)

    async def all(self, *, include_retired: bool) -> list[Level]:
        rows = await self.conn.fetch(
            "SELECT * FROM levels WHERE retired_at IS NULL OR $1 ORDER BY price_minor, name", include_retired
        )
        return [level_of(row) for row in rows]
