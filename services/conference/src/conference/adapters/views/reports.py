"""Reports and the dashboard's numbers (C12): per ticket type, the export of registrations,
revenue by month, registrations per day and attendance. Days and months are the conference's own
(its time zone, `zone`)."""

from typing import Any
from uuid import UUID

from conference.adapters.views.reader import Reader

_BY_TICKET_TYPE = """
    SELECT t.id, t.name, t.kind, t.capacity,
           (SELECT coalesce(sum(s.capacity - s.taken), 0) FROM capacity_shards s WHERE s.pool_id = t.id) AS available,
           count(*) FILTER (WHERE r.status = 'confirmed') AS sold,
           count(*) FILTER (WHERE r.status = 'held') AS held,
           coalesce(sum(at.price_minor) FILTER (WHERE r.status = 'confirmed'), 0)::bigint AS revenue_minor,
           (SELECT count(*) FROM waitlist_entries w WHERE w.ticket_type_id = t.id AND w.status = 'waiting') AS waiting,
           (SELECT count(*) FROM waitlist_entries w WHERE w.ticket_type_id = t.id AND w.status = 'offered') AS offered
    FROM ticket_types t
    LEFT JOIN attendee_tickets at ON at.ticket_type_id = t.id
    LEFT JOIN attendees a ON a.id = at.attendee_id
    LEFT JOIN registrations r ON r.id = a.registration_id
    WHERE t.conference_id = $1
    GROUP BY t.id ORDER BY t.kind, t.name"""


class ReportViews(Reader):
    async def by_ticket_type(self, conference_id: UUID) -> list[Any]:
        return list(await self.db.fetch(_BY_TICKET_TYPE, conference_id))

    async def registrations_for_export(self, conference_id: UUID) -> list[Any]:
        return list(
            await self.db.fetch(
                """SELECT r.id AS registration_id, r.status, r.payer_name, r.payer_email, a.name AS attendee, a.email,
                          string_agg(t.name, '; ' ORDER BY t.kind, t.name) AS ticket_types,
                          sum(at.price_minor)::bigint AS price_minor,
                          r.currency, a.ticket_code, a.checked_in_at, a.answers::text AS answers, r.created_at
                   FROM registrations r JOIN attendees a ON a.registration_id = r.id
                   JOIN attendee_tickets at ON at.attendee_id = a.id JOIN ticket_types t ON t.id = at.ticket_type_id
                   WHERE r.conference_id = $1 GROUP BY r.id, a.id ORDER BY r.created_at, a.name""",
                conference_id,
            )
        )

    async def revenue_by_month(self, conference_id: UUID, zone: str) -> list[Any]:
        return list(
            await self.db.fetch(
                """SELECT date_trunc('month', confirmed_at AT TIME ZONE $2)::date AS month,
                          sum(amount_minor)::bigint AS revenue
                   FROM registrations WHERE conference_id = $1 AND status = 'confirmed' GROUP BY 1 ORDER BY 1""",
                conference_id,
                zone,
            )
        )

    async def registrations_by_day(self, conference_id: UUID, zone: str, days: int) -> list[Any]:
        """The most recent `days` days that had registrations, newest first."""
        return list(
            await self.db.fetch(
                """SELECT (created_at AT TIME ZONE $2)::date AS day,
                          count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
                          count(*) FILTER (WHERE status = 'held') AS held,
                          count(*) FILTER (WHERE status IN ('expired', 'cancelled')) AS ended
                   FROM registrations WHERE conference_id = $1 GROUP BY 1 ORDER BY 1 DESC LIMIT $3""",
                conference_id,
                zone,
                days,
            )
        )

    async def attendance(self, conference_id: UUID) -> Any:
        """Attendees on confirmed registrations, and how many of them checked in."""
        people = await self.db.fetchrow(
            """SELECT count(*) AS attendees, count(a.checked_in_at) AS checked_in
               FROM attendees a JOIN registrations r ON r.id = a.registration_id
               WHERE r.conference_id = $1 AND r.status = 'confirmed'""",
            conference_id,
        )
        assert people is not None
        return people
