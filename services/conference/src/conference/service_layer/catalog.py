"""What operators set up (C1, C2, C6): conferences, ticket types with prices and capacity,
discount codes."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from conference.adapters.capacity import available, create_pool
from conference.domain.model import RegistrationRefused
from conference.service_layer.deps import Deps


class NotFound(Exception):
    pass


@dataclass(frozen=True)
class ConferenceIn:
    name: str
    venue: str
    time_zone: str
    starts_on: date
    ends_on: date
    registration_opens_at: datetime
    registration_closes_at: datetime
    currency: str
    capacity: int | None
    hold_minutes: int
    full_refund_until: datetime | None
    partial_refund_until: datetime | None
    partial_refund_percent: int | None
    certificate_hours: float
    questions: list[dict[str, Any]]
    status: str = "open"


async def create_conference(deps: Deps, c: ConferenceIn) -> UUID:
    conference_id = uuid4()
    async with deps.pool.acquire() as conn, conn.transaction():
        await conn.execute(
            """INSERT INTO conferences (id, name, venue, time_zone, starts_on, ends_on, registration_opens_at,
                   registration_closes_at, currency, capacity, hold_minutes, full_refund_until, partial_refund_until,
                   partial_refund_percent, certificate_hours, questions, status)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)""",
            conference_id,
            c.name,
            c.venue,
            c.time_zone,
            c.starts_on,
            c.ends_on,
            c.registration_opens_at,
            c.registration_closes_at,
            c.currency,
            c.capacity,
            c.hold_minutes,
            c.full_refund_until,
            c.partial_refund_until,
            c.partial_refund_percent,
            c.certificate_hours,
            json.dumps(c.questions),
            c.status,
        )
        if c.capacity is not None:
            await create_pool(conn, conference_id, c.capacity)
    return conference_id


async def update_conference(deps: Deps, conference_id: UUID, c: ConferenceIn) -> None:
    """Changes a conference's details (C1). Currency, capacity, questions and status stay as they
    are: prices and capacity pools were made in them, and registrations may already hold seats."""
    changed = await deps.pool.fetchval(
        """UPDATE conferences SET name = $2, venue = $3, time_zone = $4, starts_on = $5, ends_on = $6,
               registration_opens_at = $7, registration_closes_at = $8, hold_minutes = $9, full_refund_until = $10,
               partial_refund_until = $11, partial_refund_percent = $12, certificate_hours = $13
           WHERE id = $1 RETURNING true""",
        conference_id, c.name, c.venue, c.time_zone, c.starts_on, c.ends_on, c.registration_opens_at,
        c.registration_closes_at, c.hold_minutes, c.full_refund_until, c.partial_refund_until,
        c.partial_refund_percent, c.certificate_hours,
    )  # fmt: skip
    if changed is None:
        raise NotFound("conference")


async def set_status(deps: Deps, conference_id: UUID, status: str) -> None:
    """Draft (being prepared), open (registration follows its instants) or closed (no more)."""
    if await deps.pool.fetchval("UPDATE conferences SET status = $2 WHERE id = $1 RETURNING true", conference_id,
                                status) is None:  # fmt: skip
        raise NotFound("conference")


async def add_ticket_type(deps: Deps, conference_id: UUID, fields: dict[str, Any]) -> UUID:
    ticket_type_id = uuid4()
    async with deps.pool.acquire() as conn, conn.transaction():
        if not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM conferences WHERE id = $1)", conference_id):
            raise NotFound("conference")
        try:
            await conn.execute(
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
            raise RegistrationRefused("name", "this conference has a ticket type of this name already") from None
        await create_pool(conn, ticket_type_id, fields["capacity"])
    return ticket_type_id


async def add_discount_code(deps: Deps, conference_id: UUID, fields: dict[str, Any]) -> UUID:
    code_id = uuid4()
    async with deps.pool.acquire() as conn:
        try:
            await conn.execute(
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
            raise RegistrationRefused("code", "this conference has this code already") from None
        except asyncpg.ForeignKeyViolationError:
            raise NotFound("conference") from None
    return code_id


async def conference_page(deps: Deps, conference_id: UUID) -> dict[str, Any]:
    """What a visitor sees: the conference, its ticket types, prices and what is left (C1, C2, C12)."""
    async with deps.pool.acquire() as conn:
        conference = await conn.fetchrow("SELECT * FROM conferences WHERE id = $1", conference_id)
        if conference is None:
            raise NotFound("conference")
        tickets = []
        for t in await conn.fetch(
            "SELECT * FROM ticket_types WHERE conference_id = $1 ORDER BY kind, name", conference_id
        ):
            left = await available(conn, t["id"])
            tickets.append(dict(t) | {"available": left, "sold_out": left == 0})
        result = dict(conference) | {"ticket_types": tickets, "questions": json.loads(conference["questions"])}
        if conference["capacity"] is not None:
            result["available"] = await available(conn, conference_id)
    return result


async def open_conferences(deps: Deps) -> list[dict[str, Any]]:
    """Conferences a visitor may register for now or soon: open, and registration not yet closed."""
    rows = await deps.pool.fetch(
        """SELECT id, name, venue, time_zone, starts_on, ends_on, registration_opens_at, registration_closes_at
           FROM conferences WHERE status = 'open' AND registration_closes_at > $1 ORDER BY starts_on, name""",
        deps.clock(),
    )
    return [dict(r) for r in rows]
