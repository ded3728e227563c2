"""Organizational seats (M5): who holds one of a membership's seats."""

from datetime import datetime
from uuid import UUID

import asyncpg

from membership.adapters.transaction import Transaction
from membership.domain.errors import SeatHeldAlready
from membership.domain.model import HeldSeat, Seat


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

    async def remove_all_of(self, email: str) -> list[HeldSeat]:
        """Deletes every seat held under `email`; returns those that were still held, with the
        organization's contact (whose events announce the seat's removal)."""
        rows = await self.conn.fetch(
            """DELETE FROM seats s USING memberships m WHERE s.email = $1 AND m.id = s.membership_id
               RETURNING s.id, s.membership_id, m.member_id, s.removed_at""",
            email,
        )
        return [HeldSeat(r["id"], r["membership_id"], r["member_id"]) for r in rows if r["removed_at"] is None]
