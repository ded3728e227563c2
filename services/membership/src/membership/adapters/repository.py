"""Postgres storage of levels, members, memberships and dues payments."""

from datetime import datetime
from typing import Protocol
from uuid import UUID, uuid4

import asyncpg

from convene_delivery.postgres import Connection
from membership.domain.model import Level, Member, Membership, Term


class Repository(Protocol):
    async def add_level(self, level: Level) -> None: ...
    async def get_level(self, level_id: UUID) -> Level | None: ...
    async def member_by_email(self, email: str) -> Member | None: ...
    async def add_member(self, member: Member) -> None: ...
    async def add_membership(self, membership: Membership) -> None: ...
    async def payment_reference_exists(self, reference: str) -> bool: ...
    async def add_payment(
        self, membership_id: UUID, amount_minor: int, currency: str, method: str, reference: str, paid_at: datetime
    ) -> None: ...


class LevelNameTaken(Exception):
    pass


class SqlRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add_level(self, level: Level) -> None:
        try:
            await self._conn.execute(
                "INSERT INTO levels (id, name, price_minor, currency, term) VALUES ($1, $2, $3, $4, $5)",
                level.id, level.name, level.price_minor, level.currency, level.term.value,
            )  # fmt: skip
        except asyncpg.UniqueViolationError:
            raise LevelNameTaken(level.name) from None

    async def get_level(self, level_id: UUID) -> Level | None:
        row = await self._conn.fetchrow("SELECT * FROM levels WHERE id = $1 AND retired_at IS NULL", level_id)
        if row is None:
            return None
        return Level(row["id"], row["name"], row["price_minor"], row["currency"], Term(row["term"]))

    async def member_by_email(self, email: str) -> Member | None:
        row = await self._conn.fetchrow("SELECT id, name, email FROM members WHERE email = $1", email)
        return None if row is None else Member(row["id"], row["name"], row["email"])

    async def add_member(self, member: Member) -> None:
        await self._conn.execute(
            "INSERT INTO members (id, name, email) VALUES ($1, $2, $3)", member.id, member.name, member.email
        )

    async def add_membership(self, m: Membership) -> None:
        await self._conn.execute(
            """INSERT INTO memberships (id, member_id, level_id, status, period_start, period_end, auto_renew)
               VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            m.id, m.member_id, m.level_id, m.status.value, m.period_start, m.period_end, m.auto_renew,
        )  # fmt: skip

    async def payment_reference_exists(self, reference: str) -> bool:
        found: bool = await self._conn.fetchval("SELECT EXISTS (SELECT 1 FROM dues_payments WHERE reference = $1)",
                                                reference)  # fmt: skip
        return found

    async def add_payment(
        self, membership_id: UUID, amount_minor: int, currency: str, method: str, reference: str, paid_at: datetime
    ) -> None:
        await self._conn.execute(
            """INSERT INTO dues_payments (id, membership_id, amount_minor, currency, method, reference, paid_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            uuid4(), membership_id, amount_minor, currency, method, reference, paid_at,
        )  # fmt: skip
