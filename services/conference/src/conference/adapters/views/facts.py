"""A registration's facts as its events and pages carry them: the registration with its
conference, and each attendee with their ticket types."""

from typing import Any
from uuid import UUID

from convene_delivery.postgres import Connection

REGISTRATION = """
    SELECT r.*, c.name AS conference_name, c.starts_on, c.ends_on, c.venue FROM registrations r
    JOIN conferences c ON c.id = r.conference_id
    WHERE r.id = $1"""

ATTENDEES = """
    SELECT a.id, a.name, a.email, a.ticket_code, array_agg(tt.name ORDER BY tt.kind, tt.name) AS types
    FROM attendees a JOIN attendee_tickets t ON t.attendee_id = a.id
    JOIN ticket_types tt ON tt.id = t.ticket_type_id
    WHERE a.registration_id = $1 GROUP BY a.id ORDER BY a.name"""


async def registration_facts(conn: Connection, registration_id: UUID) -> tuple[Any, list[Any]]:
    registration = await conn.fetchrow(REGISTRATION, registration_id)
    assert registration is not None
    return registration, list(await conn.fetch(ATTENDEES, registration_id))
