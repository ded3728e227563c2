"""What visitors and attendees see: open conferences, a conference's page, a registration,
one person's registrations, a waitlist offer, a ticket at the door, a certificate."""

from datetime import datetime
from typing import Any
from uuid import UUID

from conference.adapters.capacity import available
from conference.adapters.members import MEMBERS_AMONG
from conference.adapters.views.facts import registration_facts
from conference.adapters.views.reader import Reader
from conference.domain.model import DiscountCode


class AttendeeViews(Reader):
    async def discount_code(self, conference_id: UUID, code: str) -> DiscountCode | None:
        row = await self.db.fetchrow(
            "SELECT * FROM discount_codes WHERE conference_id = $1 AND code = $2", conference_id, code
        )
        if row is None:
            return None
        ticket_type_ids = frozenset(row["ticket_type_ids"]) if row["ticket_type_ids"] is not None else None
        return DiscountCode(
            row["id"],
            row["code"],
            row["percent_off"],
            row["amount_off_minor"],
            row["valid_from"],
            row["valid_until"],
            ticket_type_ids,
        )

    async def is_member(self, email: str) -> bool:
        found: bool = await self.db.fetchval(f"SELECT EXISTS ({MEMBERS_AMONG})", [email.lower()])
        return found

    async def unpaid_seats(
        self, conference_id: UUID, client_address: str | None, payer_email: str, now: datetime
    ) -> tuple[int, int]:
        row = await self.db.fetchrow(
            """SELECT count(*) FILTER (WHERE r.client_address = $2) AS by_client,
                      count(*) FILTER (WHERE r.payer_email = $3) AS by_email
               FROM registrations r JOIN attendees a ON a.registration_id = r.id
               WHERE r.conference_id = $1 AND r.status = 'held' AND r.hold_expires_at > $4
                 AND (r.client_address = $2 OR r.payer_email = $3)""",
            conference_id,
            client_address,
            payer_email,
            now,
        )
        return (row["by_client"], row["by_email"]) if row else (0, 0)

    async def holds_past(self, now: datetime) -> list[Any]:
        return list(
            await self.db.fetch(
                "SELECT id, checkout_session_id FROM registrations WHERE status = 'held' AND hold_expires_at <= $1"
                " ORDER BY hold_expires_at LIMIT 500",
                now,
            )
        )

    async def conference_page(self, conference_id: UUID) -> tuple[Any, list[Any], int | None] | None:
        """The conference, its ticket types each with `available`, and the conference's own seats left."""
        async with self.connection() as conn:
            conference = await conn.fetchrow("SELECT * FROM conferences WHERE id = $1", conference_id)
            if conference is None:
                return None
            tickets = []
            for t in await conn.fetch(
                "SELECT * FROM ticket_types WHERE conference_id = $1 ORDER BY kind, name", conference_id
            ):
                tickets.append(dict(t) | {"available": await available(conn, t["id"])})
            left = await available(conn, conference_id) if conference["capacity"] is not None else None
        return conference, tickets, left

    async def open_conferences(self, now: datetime) -> list[Any]:
        return list(
            await self.db.fetch(
                """SELECT id, name, venue, time_zone, starts_on, ends_on, registration_opens_at, registration_closes_at
                   FROM conferences WHERE status = 'open' AND registration_closes_at > $1 ORDER BY starts_on, name""",
                now,
            )
        )

    async def registration_for_attendee(self, registration_id: UUID) -> tuple[Any, Any, list[Any]] | None:
        """The registration with its refund policy, and its facts."""
        async with self.connection() as conn:
            row = await conn.fetchrow(
                """SELECT r.*, c.full_refund_until, c.partial_refund_until, c.partial_refund_percent
                   FROM registrations r JOIN conferences c ON c.id = r.conference_id WHERE r.id = $1""",
                registration_id,
            )
            if row is None:
                return None
            registration, attendees = await registration_facts(conn, registration_id)
        return row, registration, attendees

    async def registration_details(self, registration_id: UUID) -> tuple[Any, list[Any]] | None:
        async with self.connection() as conn:
            r = await conn.fetchrow(
                """SELECT r.*, c.name AS conference_name, c.venue, c.time_zone, c.starts_on, c.ends_on,
                          c.full_refund_until, c.partial_refund_until, c.partial_refund_percent
                   FROM registrations r JOIN conferences c ON c.id = r.conference_id WHERE r.id = $1""",
                registration_id,
            )
            if r is None:
                return None
            rows = await conn.fetch(
                """SELECT a.id, a.name, a.email, a.ticket_code, a.member_pricing, tt.name AS ticket, t.price_minor
                   FROM attendees a JOIN attendee_tickets t ON t.attendee_id = a.id
                   JOIN ticket_types tt ON tt.id = t.ticket_type_id
                   WHERE a.registration_id = $1 ORDER BY a.name, a.id, tt.kind, tt.name""",
                registration_id,
            )
        return r, list(rows)

    async def registrations_of(self, email: str) -> list[Any]:
        """Registrations this (lower-case) address paid for or attends, newest conference first."""
        return list(
            await self.db.fetch(
                """SELECT r.id, r.status, r.amount_minor, r.currency, c.name, c.starts_on, c.ends_on,
                          (SELECT count(*) FROM attendees a WHERE a.registration_id = r.id) AS attendees,
                          r.payer_email = $1 AS paid_by_me,
                          (SELECT a.id FROM attendees a WHERE a.registration_id = r.id AND a.email = $1
                           ORDER BY a.id LIMIT 1) AS my_attendee_id
                   FROM registrations r JOIN conferences c ON c.id = r.conference_id
                   WHERE r.status <> 'expired'
                     AND (r.payer_email = $1
                          OR r.id IN (SELECT a.registration_id FROM attendees a WHERE a.email = $1))
                   ORDER BY c.starts_on DESC, r.created_at DESC""",
                email,
            )
        )

    async def registration_of_attendee(self, attendee_id: UUID) -> UUID | None:
        found: UUID | None = await self.db.fetchval("SELECT registration_id FROM attendees WHERE id = $1", attendee_id)
        return found

    async def member_offer(self, attendee_id: UUID) -> Any:
        return await self.db.fetchrow(
            """SELECT a.registration_id, a.name, a.email, r.status, r.hold_expires_at, r.currency,
                      r.amount_minor AS registration_amount, r.checkout_session_id, c.name AS conference_name,
                      sum(t.price_minor) AS amount, sum(coalesce(t.member_price_minor, t.price_minor)) AS member_amount,
                      count(t.member_price_minor) AS pending
               FROM attendees a JOIN attendee_tickets t ON t.attendee_id = a.id
               JOIN registrations r ON r.id = a.registration_id JOIN conferences c ON c.id = r.conference_id
               WHERE a.id = $1
               GROUP BY a.id, r.id, c.id""",
            attendee_id,
        )

    async def waitlist_offer(self, entry_id: UUID, token_sha256: bytes) -> Any:
        return await self.db.fetchrow(
            """SELECT w.*, c.name AS conference_name, c.time_zone, t.name AS ticket_type_name
               FROM waitlist_entries w JOIN conferences c ON c.id = w.conference_id
               JOIN ticket_types t ON t.id = w.ticket_type_id
               WHERE w.id = $1 AND w.offer_token_sha256 = $2""",
            entry_id,
            token_sha256,
        )

    async def ticket(self, ticket_code: str) -> Any:
        """A ticket whose registration is confirmed (the only tickets that open the door)."""
        return await self.db.fetchrow(
            """SELECT a.name, a.checked_in_at, c.name AS conference, c.time_zone,
                      array_agg(t.name ORDER BY t.kind, t.name) AS ticket_types
               FROM attendees a JOIN registrations r ON r.id = a.registration_id
               JOIN conferences c ON c.id = r.conference_id
               JOIN attendee_tickets at ON at.attendee_id = a.id JOIN ticket_types t ON t.id = at.ticket_type_id
               WHERE a.ticket_code = $1 AND r.status = 'confirmed' GROUP BY a.id, c.id""",
            ticket_code,
        )

    async def certificate(self, attendee_id: UUID) -> Any:
        return await self.db.fetchrow(
            """SELECT a.name, c.name AS conference, c.venue, c.starts_on, c.ends_on, k.hours, k.issued_at
               FROM certificates k JOIN attendees a ON a.id = k.attendee_id
               JOIN registrations r ON r.id = a.registration_id JOIN conferences c ON c.id = r.conference_id
               WHERE k.attendee_id = $1""",
            attendee_id,
        )
