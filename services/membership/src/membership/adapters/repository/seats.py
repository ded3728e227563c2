"""Organizational seats (M5): who holds one of a membership's seats."""

from datetime import datetime
from uuid import UUID

import asyncpg

from membership.adapters.transaction import Transaction
from membership.domain.errors import SeatHeldAlready
from membership.domain.model import Seat


class SqlSeats:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def held(self, membership_id: UUID) -> list[Seat]:
        rows = await self.conn.fetch(
            "SELECT id, email, name, assigned_at FROM seats WHERE membership_id = $1 AND removed_at IS NULL"
            " ORDER BY assigned_at",
            membership_id,
        )
        return [Seat(r["id"], r["email"], r["name"], r["assigned_at"]) for r in rows]

    async def count_held(self, membership_id: UUID) -> int:
        found: int = await self.conn.fetchval(
            "SELECT count(*) FROM seats WHERE membership_id = $1 AND removed_at IS NULL", membership_id
        )
        return found

    async def add(self, membership_id: UUID, seat: Seat) -> None:
        try:
            await self.conn.execute(
                "INSERT INTO seats (id, membership_id, email, name, assigned_at) VALUES ($1, $2, $3, $4, $5)",
                seat.id,
                membership_id,
                seat.email,
                seat.name,
                seat.assigned_at,
            )
        except asyncpg.UniqueViolationError:
            raise SeatHeldAlready(seat.email) from None

    async def remove(self, membership_id: UUID, seat_id: UUID, at: datetime) -> str | None:
        """The freed seat's holder's address; None when the membership holds no such seat."""
        email: str | None = await self.conn.fetchval(
            "UPDATE seats SET removed_at = $3 WHERE id = $1 AND membership_id = $2 AND removed_at IS NULL"
            " RETURNING email",
            seat_id,
            membership_id,
            at,
        )
        return email

    async def remove_all_of(self, email: str) -> None:
        await self.conn.execute("DELETE FROM seats WHERE email = $1", email)
