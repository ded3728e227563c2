"""Registrations: a new hold's rows, the registration aggregate (locked while it changes), the
seats its tickets took, and its ticket codes."""

import json
from typing import Any
from uuid import UUID

from conference.adapters.capacity import Capacity
from conference.adapters.views.facts import registration_facts
from conference.domain.booking import Booking
from conference.domain.model import RefundPolicy, RegistrationStatus
from conference.domain.registration import Registration, new_ticket_code
from convene_delivery.postgres import Connection

# The registration ($1-$8), its attendees ($9-$13, one array per column) and tickets ($14-$17).
_ADD = """
    WITH registration AS (
        INSERT INTO registrations (id, conference_id, status, payer_name, payer_email, amount_minor, currency,
                                   discount_code_id, holds_discount_use, hold_expires_at, client_address)
        VALUES ($1, $2, 'held', $3, $4, $5, $6, $7, $7::uuid IS NOT NULL, $8, $18)
    ), attendee AS (
        INSERT INTO attendees (id, registration_id, name, email, answers, member_pricing)
        SELECT a.id, $1, a.name, a.email, a.answers, a.member
        FROM unnest($9::uuid[], $10::text[], $11::text[], $12::jsonb[], $13::boolean[])
             AS a(id, name, email, answers, member)
    )
    INSERT INTO attendee_tickets (attendee_id, ticket_type_id, price_minor, shards, member_price_minor)
    SELECT * FROM unnest($14::uuid[], $15::uuid[], $16::bigint[], $17::jsonb[], $19::bigint[])"""

# With its conference's name and refund policy; the lock is on the registration only.
_GET = """
    SELECT r.*, c.name AS conference_name, c.full_refund_until, c.partial_refund_until, c.partial_refund_percent
    FROM registrations r JOIN conferences c ON c.id = r.conference_id WHERE r.id = $1 FOR UPDATE OF r"""

_SAVE = """
    UPDATE registrations SET status = $2, payment_intent = $3, confirmed_at = $4, cancelled_at = $5,
        refund_due_minor = $6, refunded_minor = $7, checkout_session_id = $8, checkout_url = $9
    WHERE id = $1"""


class _SeatGone(Exception):
    pass


def registration(row: Any) -> Registration:
    return Registration(
        id=row["id"],
        conference_id=row["conference_id"],
        status=RegistrationStatus(row["status"]),
        payer_email=row["payer_email"],
        amount_minor=row["amount_minor"],
        currency=row["currency"],
        hold_expires_at=row["hold_expires_at"],
        refund_policy=RefundPolicy(
            row["full_refund_until"], row["partial_refund_until"], row["partial_refund_percent"]
        ),
        conference_name=row["conference_name"],
        payment_intent=row["payment_intent"],
        checkout_session_id=row["checkout_session_id"],
        checkout_url=row["checkout_url"],
        confirmed_at=row["confirmed_at"],
        cancelled_at=row["cancelled_at"],
        refund_due_minor=row["refund_due_minor"],
        refunded_minor=row["refunded_minor"],
    )


class SqlRegistrations:
    def __init__(self, conn: Connection, capacity: Capacity) -> None:
        self._conn, self._capacity = conn, capacity

    async def get(self, registration_id: UUID) -> Registration | None:
        row = await self._conn.fetchrow(_GET, registration_id)
        return None if row is None else registration(row)

    async def add(self, booking: Booking, shards: list[list[list[Any]]]) -> None:
        b, people = booking, booking.attendees
        await self._conn.execute(
            _ADD,
            b.registration_id,
            b.conference_id,
            b.payer_name,
            b.payer_email,
            b.total,
            b.currency,
            b.discount.id if b.discount else None,
            b.hold_expires_at,
            [a.id for a in people],
            [a.name for a in people],
            [a.email for a in people],
            [a.answers for a in people],
            [a.member_pricing for a in people],
            [t.attendee_id for t in b.tickets],
            [t.ticket.id for t in b.tickets],
            [t.price for t in b.tickets],
            [json.dumps(s) for s in shards],
            b.client_address,
            [t.member_price for t in b.tickets],
        )

    async def save(self, r: Registration) -> None:
        await self._conn.execute(
            _SAVE,
            r.id,
            r.status.value,
            r.payment_intent,
            r.confirmed_at,
            r.cancelled_at,
            r.refund_due_minor,
            r.refunded_minor,
            r.checkout_session_id,
            r.checkout_url,
        )

    async def facts(self, registration_id: UUID) -> tuple[Any, list[Any]]:
        return await registration_facts(self._conn, registration_id)

    async def checkout_lines(self, registration_id: UUID) -> list[Any]:
        return list(
            await self._conn.fetch(
                """SELECT a.id, a.name, string_agg(t.name, ', ' ORDER BY t.name) AS tickets,
                          sum(p.price_minor) AS amount
                   FROM attendees a JOIN attendee_tickets p ON p.attendee_id = a.id
                   JOIN ticket_types t ON t.id = p.ticket_type_id
                   WHERE a.registration_id = $1 GROUP BY a.id, a.name ORDER BY a.name, a.id""",
                registration_id,
            )
        )

    async def tickets(self, registration_id: UUID) -> list[Any]:
        return list(
            await self._conn.fetch(
                """SELECT t.ticket_type_id, t.shards FROM attendee_tickets t JOIN attendees a ON a.id = t.attendee_id
                   WHERE a.registration_id = $1""",
                registration_id,
            )
        )

    async def retake_seats(self, registration_id: UUID) -> bool:
        rows = await self._conn.fetch(
            """SELECT t.attendee_id, t.ticket_type_id, t.shards FROM attendee_tickets t
               JOIN attendees a ON a.id = t.attendee_id WHERE a.registration_id = $1""",
            registration_id,
        )
        try:
            async with self._conn.transaction():  # a savepoint: all seats again, or none
                for row in rows:
                    taken = []
                    for pool_id, _ in json.loads(row["shards"]):
                        shard = await self._capacity.take(self._conn, UUID(pool_id))
                        if shard is None:
                            raise _SeatGone
                        taken.append([pool_id, shard])
                    await self._conn.execute(
                        "UPDATE attendee_tickets SET shards = $3 WHERE attendee_id = $1 AND ticket_type_id = $2",
                        row["attendee_id"],
                        row["ticket_type_id"],
                        json.dumps(taken),
                    )
        except _SeatGone:
            return False
        return True

    async def issue_ticket_codes(self, registration_id: UUID) -> None:
        for attendee in await self._conn.fetch("SELECT id FROM attendees WHERE registration_id = $1", registration_id):
            await self._conn.execute(
                "UPDATE attendees SET ticket_code = $2 WHERE id = $1", attendee["id"], new_ticket_code()
            )

    async def attach_checkout(self, registration_id: UUID, session_id: str, url: str) -> bool:
        # Conditional: of two sessions made at once for one hold, the first stored is the one kept.
        stored = await self._conn.fetchval(
            """UPDATE registrations SET checkout_session_id = $2, checkout_url = $3
               WHERE id = $1 AND status = 'held' AND checkout_session_id IS NULL RETURNING true""",
            registration_id,
            session_id,
            url,
        )
        return stored is not None

    async def refund_reported(self, payment_intent: str, amount_refunded_minor: int) -> None:
        await self._conn.execute(
            "UPDATE registrations SET refunded_minor = greatest(refunded_minor, $2) WHERE payment_intent = $1",
            payment_intent,
            amount_refunded_minor,
        )
