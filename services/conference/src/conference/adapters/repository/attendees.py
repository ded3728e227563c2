"""Attendees at the door (C10) and after the conference (C11): check-ins and certificates."""

from datetime import datetime
from typing import Any
from uuid import UUID

from convene_delivery.postgres import Connection


class SqlAttendees:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def for_check_in(self, ticket_code: str) -> Any:
        return await self._conn.fetchrow(
            """SELECT a.id, a.name, a.email, a.checked_in_at, a.registration_id, r.conference_id, c.name AS conference
               FROM attendees a JOIN registrations r ON r.id = a.registration_id
               JOIN conferences c ON c.id = r.conference_id
               WHERE a.ticket_code = $1 AND r.status = 'confirmed' FOR UPDATE OF a""",
            ticket_code,
        )

    async def check_in(self, attendee_id: UUID, at: datetime, by: str) -> None:
        await self._conn.execute(
            "UPDATE attendees SET checked_in_at = $2, checked_in_by = $3 WHERE id = $1", attendee_id, at, by
        )

    async def undo_check_in(self, ticket_code: str) -> bool:
        done = await self._conn.fetchval(
            "UPDATE attendees SET checked_in_at = NULL, checked_in_by = NULL WHERE ticket_code = $1"
            " AND checked_in_at IS NOT NULL RETURNING true",
            ticket_code,
        )
        return bool(done)

    async def take_member_price(self, attendee_id: UUID, checkout_session_id: str | None) -> bool:
        changed = await self._conn.fetchval(
            """WITH registration AS (
                   SELECT r.id FROM registrations r JOIN attendees a ON a.registration_id = r.id
                   WHERE a.id = $1 AND r.checkout_session_id IS NOT DISTINCT FROM $2
               ), ticket AS (
                   SELECT ticket_type_id, price_minor - member_price_minor AS off FROM attendee_tickets
                   WHERE attendee_id = $1 AND member_price_minor IS NOT NULL AND EXISTS (SELECT FROM registration)
               ), priced AS (
                   UPDATE attendee_tickets t SET price_minor = t.member_price_minor, member_price_minor = NULL
                   FROM ticket WHERE t.attendee_id = $1 AND t.ticket_type_id = ticket.ticket_type_id
               ), attendee AS (
                   UPDATE attendees SET member_pricing = true WHERE id = $1 AND EXISTS (SELECT FROM registration)
               )
               UPDATE registrations r
               SET amount_minor = r.amount_minor - (SELECT coalesce(sum(off), 0) FROM ticket),
                   checkout_session_id = NULL, checkout_url = NULL
               FROM registration WHERE r.id = registration.id
               RETURNING true""",
            attendee_id,
            checkout_session_id,
        )
        return bool(changed)

    async def issue_certificates(self, conference_id: UUID, hours: Any, at: datetime) -> list[Any]:
        rows = await self._conn.fetch(
            """INSERT INTO certificates (attendee_id, hours, issued_at)
               SELECT a.id, $2, $3 FROM attendees a JOIN registrations r ON r.id = a.registration_id
               WHERE r.conference_id = $1 AND r.status = 'confirmed' AND a.checked_in_at IS NOT NULL
               ON CONFLICT DO NOTHING
               RETURNING attendee_id""",
            conference_id,
            hours,
            at,
        )
        attendees = []
        for row in rows:
            attendee = await self._conn.fetchrow("SELECT * FROM attendees WHERE id = $1", row["attendee_id"])
            assert attendee is not None
            attendees.append(attendee)
        return attendees
