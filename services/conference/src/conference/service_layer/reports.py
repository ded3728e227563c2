"""Reports (C12): capacity, holds, sales, revenue and waitlist per ticket type; registrations CSV."""

import csv
import io
from typing import Any
from uuid import UUID

from conference.service_layer.deps import Deps

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


async def summary(deps: Deps, conference_id: UUID) -> list[dict[str, Any]]:
    return [dict(row) for row in await deps.pool.fetch(_BY_TICKET_TYPE, conference_id)]


async def registrations_csv(deps: Deps, conference_id: UUID) -> str:
    rows = await deps.pool.fetch(
        """SELECT r.id AS registration_id, r.status, r.payer_name, r.payer_email, a.name AS attendee, a.email,
                  string_agg(t.name, '; ' ORDER BY t.kind, t.name) AS ticket_types,
                  sum(at.price_minor)::bigint AS price_minor,
                  r.currency, a.ticket_code, a.checked_in_at, a.answers::text AS answers, r.created_at
           FROM registrations r JOIN attendees a ON a.registration_id = r.id
           JOIN attendee_tickets at ON at.attendee_id = a.id JOIN ticket_types t ON t.id = at.ticket_type_id
           WHERE r.conference_id = $1 GROUP BY r.id, a.id ORDER BY r.created_at, a.name""",
        conference_id,
    )
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["registration_id", "status", "payer_name", "payer_email", "attendee", "email", "ticket_types",
               "price_minor", "currency", "ticket_code", "checked_in_at", "answers", "created_at"]  # fmt: skip
    writer.writerow(columns)
    for row in rows:
        # A leading =, +, - or @ would run as a formula in a spreadsheet.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in (row[c] for c in columns)])
    return out.getvalue()
