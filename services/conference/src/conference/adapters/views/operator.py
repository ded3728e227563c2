"""What operators look up: the conferences, what one sells (ticket types, discount codes), its
registrations found by a word or a status, and one registration in full."""

import re
from typing import Any
from uuid import UUID

from conference.adapters.views.reader import Reader


class OperatorViews(Reader):
    async def conferences(self) -> list[Any]:
        return list(
            await self.db.fetch(
                """SELECT c.*, (SELECT count(*) FROM registrations r
                                WHERE r.conference_id = c.id AND r.status = 'confirmed') AS confirmed
                   FROM conferences c ORDER BY c.starts_on DESC, c.name"""
            )
        )

    async def conference(self, conference_id: UUID) -> Any:
        return await self.db.fetchrow("SELECT * FROM conferences WHERE id = $1", conference_id)

    async def ticket_types(self, conference_id: UUID) -> list[Any]:
        return list(
            await self.db.fetch(
                "SELECT * FROM ticket_types WHERE conference_id = $1 ORDER BY kind, name", conference_id
            )
        )

    async def discount_codes(self, conference_id: UUID) -> list[Any]:
        return list(
            await self.db.fetch(
                """SELECT d.*, (SELECT array_agg(t.name ORDER BY t.name) FROM ticket_types t
                                WHERE t.id = ANY (d.ticket_type_ids)) AS ticket_type_names
                   FROM discount_codes d WHERE d.conference_id = $1 ORDER BY d.code""",
                conference_id,
            )
        )

    async def registrations(self, conference_id: UUID, search: str, status: str, limit: int) -> list[Any]:
        """Newest first; `search` finds a payer's or an attendee's name or email, or a ticket code."""
        return list(
            await self.db.fetch(
                """SELECT r.id, r.status, r.payer_name, r.payer_email, r.amount_minor, r.currency, r.created_at,
                          (SELECT f.status FROM refunds f WHERE f.registration_id = r.id) AS refund_status,
                          string_agg(a.name, ', ' ORDER BY a.name) AS attendees,
                          count(a.checked_in_at) AS checked_in, count(a.id) AS attendee_count
                   FROM registrations r JOIN attendees a ON a.registration_id = r.id
                   WHERE r.conference_id = $1 AND ($2 = '' OR r.status = $2)
                     AND ($3 = '' OR EXISTS (
                           SELECT 1 FROM attendees f WHERE f.registration_id = r.id
                           AND (lower(f.name) LIKE $4 OR lower(f.email) LIKE $4 OR f.ticket_code = upper($3)))
                         OR lower(r.payer_name) LIKE $4 OR lower(r.payer_email) LIKE $4)
                   GROUP BY r.id ORDER BY r.created_at DESC LIMIT $5""",
                conference_id,
                status,
                search,
                _like(search),
                limit,
            )
        )

    async def registration_in_full(self, registration_id: UUID) -> tuple[Any, list[Any]] | None:
        """The registration with conference_name, time_zone, discount_code and its refund (refund_*,
        NULL when none is owed), and its attendees, each with `tickets` and `answers` as JSON text."""
        async with self.connection() as conn:
            row = await conn.fetchrow(
                """SELECT r.*, c.name AS conference_name, c.time_zone, d.code AS discount_code,
                          f.status AS refund_status, f.amount_minor AS refund_amount_minor,
                          f.attempts AS refund_attempts, f.next_attempt_at AS refund_next_attempt_at,
                          f.last_error AS refund_last_error, f.stripe_refund_id, f.reason AS refund_reason
                   FROM registrations r JOIN conferences c ON c.id = r.conference_id
                   LEFT JOIN discount_codes d ON d.id = r.discount_code_id
                   LEFT JOIN refunds f ON f.registration_id = r.id WHERE r.id = $1""",
                registration_id,
            )
            if row is None:
                return None
            attendees = await conn.fetch(
                """SELECT a.id, a.name, a.email, a.ticket_code, a.checked_in_at, a.checked_in_by, a.answers::text,
                          json_agg(json_build_object('name', t.name, 'kind', t.kind, 'price_minor', at.price_minor)
                                   ORDER BY t.kind, t.name)::text AS tickets
                   FROM attendees a JOIN attendee_tickets at ON at.attendee_id = a.id
                   JOIN ticket_types t ON t.id = at.ticket_type_id
                   WHERE a.registration_id = $1 GROUP BY a.id ORDER BY a.name""",
                registration_id,
            )
        return row, list(attendees)


def _like(words: str) -> str:
    """A LIKE pattern that finds `words` anywhere, with LIKE's own characters taken literally."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", words.lower()) + "%"
