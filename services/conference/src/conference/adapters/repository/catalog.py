"""What operators set up (C1, C2, C6): conferences, ticket types with their capacity pools,
discount codes; and the capacity units a hold takes and gives back."""

import json
from typing import Any, Literal
from uuid import UUID

import asyncpg

from conference.adapters.capacity import Capacity, available, create_pool
from conference.domain.model import DiscountCode
from convene_delivery.postgres import Connection


class SqlCatalog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add_conference(self, conference_id: UUID, c: Any) -> None:
        await self._conn.execute(
            """INSERT INTO conferences (id, name, venue, time_zone, starts_on, ends_on, registration_opens_at,
                   registration_closes_at, currency, capacity, hold_minutes, full_refund_until, partial_refund_until,
                   partial_refund_percent, certificate_hours, questions, status, max_tickets_per_registration)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)""",
            conference_id,
            c["name"],
            c["venue"],
            c["time_zone"],
            c["starts_on"],
            c["ends_on"],
            c["registration_opens_at"],
            c["registration_closes_at"],
            c["currency"],
            c["capacity"],
            c["hold_minutes"],
            c["full_refund_until"],
            c["partial_refund_until"],
            c["partial_refund_percent"],
            c["certificate_hours"],
            json.dumps(c["questions"]),
            c["status"],
            c["max_tickets_per_registration"],
        )
        if c["capacity"] is not None:
            await create_pool(self._conn, conference_id, c["capacity"])

    async def update_conference(self, conference_id: UUID, c: Any) -> bool:
        changed = await self._conn.fetchval(
            """UPDATE conferences SET name = $2, venue = $3, time_zone = $4, starts_on = $5, ends_on = $6,
                   registration_opens_at = $7, registration_closes_at = $8, hold_minutes = $9, full_refund_until = $10,
                   partial_refund_until = $11, partial_refund_percent = $12, certificate_hours = $13,
                   max_tickets_per_registration = $14
               WHERE id = $1 RETURNING true""",
            conference_id,
            c["name"],
            c["venue"],
            c["time_zone"],
            c["starts_on"],
            c["ends_on"],
            c["registration_opens_at"],
            c["registration_closes_at"],
            c["hold_minutes"],
            c["full_refund_until"],
            c["partial_refund_until"],
            c["partial_refund_percent"],
            c["certificate_hours"],
            c["max_tickets_per_registration"],
        )
        return changed is not None

    async def set_status(self, conference_id: UUID, status: str) -> bool:
        changed = await self._conn.fetchval(
            "UPDATE conferences SET status = $2 WHERE id = $1 RETURNING true", conference_id, status
        )
        return changed is not None

    async def conference(self, conference_id: UUID) -> Any:
        return await self._conn.fetchrow("SELECT * FROM conferences WHERE id = $1", conference_id)

    async def conference_exists(self, conference_id: UUID) -> bool:
        found: bool = await self._conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM conferences WHERE id = $1)", conference_id
        )
        return found

    async def add_ticket_type(self, ticket_type_id: UUID, conference_id: UUID, fields: Any) -> bool:
        try:
            await self._conn.execute(
                """INSERT INTO ticket_types (id, conference_id, name, kind, capacity, member_price_minor,
                       non_member_price_minor, early_member_price_minor, early_non_member_price_minor, early_bird_until)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
                ticket_type_id,
                conference_id,
                fields["name"],
                fields["kind"],
                fields["capacity"],
                fields["member_price_minor"],
                fields["non_member_price_minor"],
                fields.get("early_member_price_minor"),
                fields.get("early_non_member_price_minor"),
                fields.get("early_bird_until"),
            )
        except asyncpg.UniqueViolationError:
            return False
        await create_pool(self._conn, ticket_type_id, fields["capacity"])
        return True

    async def add_discount_code(
        self, code_id: UUID, conference_id: UUID, fields: Any
    ) -> Literal["added", "code taken", "no conference"]:
        try:
            await self._conn.execute(
                """INSERT INTO discount_codes (id, conference_id, code, percent_off, amount_off_minor, max_uses,
                       valid_from, valid_until, ticket_type_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
                code_id,
                conference_id,
                fields["code"].upper(),
                fields.get("percent_off"),
                fields.get("amount_off_minor"),
                fields["max_uses"],
                fields.get("valid_from"),
                fields.get("valid_until"),
                fields.get("ticket_type_ids"),
            )
        except asyncpg.UniqueViolationError:
            return "code taken"
        except asyncpg.ForeignKeyViolationError:
            return "no conference"
        return "added"

    async def conference_of(self, ticket_type_id: UUID) -> UUID:
        found: UUID = await self._conn.fetchval("SELECT conference_id FROM ticket_types WHERE id = $1", ticket_type_id)
        return found

    async def ticket_type_belongs(self, ticket_type_id: UUID, conference_id: UUID) -> bool:
        found: bool = await self._conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM ticket_types WHERE id = $1 AND conference_id = $2)",
            ticket_type_id,
            conference_id,
        )
        return found


class SqlDiscountCodes:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def use(self, discount: DiscountCode) -> bool:
        """One statement decides: a use is taken only while uses remain (and the CHECK backs it)."""
        used = await self._conn.fetchval(
            "UPDATE discount_codes SET used = used + 1 WHERE id = $1 AND used < max_uses RETURNING used", discount.id
        )
        return used is not None

    async def give_back_use(self, registration_id: UUID) -> None:
        # Once: the flag says whether this registration holds a use, so a second give-back (an
        # expiry, then a cancellation) cannot hand out a use nobody returned.
        await self._conn.execute(
            """WITH given AS (
                   UPDATE registrations SET holds_discount_use = false
                   WHERE id = $1 AND holds_discount_use RETURNING discount_code_id)
               UPDATE discount_codes SET used = used - 1 WHERE id = (SELECT discount_code_id FROM given)""",
            registration_id,
        )

    async def take_again(self, registration_id: UUID) -> bool:
        taken = await self._conn.fetchval(
            """WITH code AS (
                   UPDATE discount_codes d SET used = d.used + 1 FROM registrations r
                   WHERE r.id = $1 AND d.id = r.discount_code_id AND NOT r.holds_discount_use
                     AND d.used < d.max_uses
                   RETURNING d.id)
               UPDATE registrations SET holds_discount_use = true
               WHERE id = $1 AND EXISTS (SELECT 1 FROM code) RETURNING true""",
            registration_id,
        )
        if taken:
            return True
        holds: bool = await self._conn.fetchval(
            "SELECT discount_code_id IS NULL OR holds_discount_use FROM registrations WHERE id = $1",
            registration_id,
        )
        return holds


class SqlSeats:
    """The capacity pools (adapters/capacity.py) in the unit of work's transaction."""

    def __init__(self, conn: Connection, capacity: Capacity) -> None:
        self._conn, self._capacity = conn, capacity

    async def take(self, pool_id: UUID) -> int | None:
        return await self._capacity.take(self._conn, pool_id)

    async def release(self, pool_id: UUID, shard: int) -> None:
        await self._capacity.release(self._conn, pool_id, shard)

    async def available(self, pool_id: UUID) -> int:
        return await available(self._conn, pool_id)
