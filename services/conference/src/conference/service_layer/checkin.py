"""Check-in at the door (C10): each ticket once; a second scan says when it was used; an
operator can undo a mistaken check-in."""

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from conference.service_layer.catalog import NotFound
from conference.service_layer.deps import Deps
from convene_contracts import CONFERENCE
from convene_contracts import conference as contract
from convene_delivery.outbox import add_to_outbox


@dataclass(frozen=True)
class Scan:
    name: str
    conference_name: str
    checked_in_at: datetime
    first_time: bool


async def check_in(deps: Deps, ticket_code: str, by: str = "staff") -> Scan:
    now = deps.clock()
    code = ticket_code.strip().upper()
    async with deps.pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            """SELECT a.id, a.name, a.email, a.checked_in_at, a.registration_id, r.conference_id, c.name AS conference
               FROM attendees a JOIN registrations r ON r.id = a.registration_id
               JOIN conferences c ON c.id = r.conference_id
               WHERE a.ticket_code = $1 AND r.status = 'confirmed' FOR UPDATE OF a""",
            code,
        )
        if row is None:
            raise NotFound("ticket (unknown code, or the registration is not confirmed)")
        if row["checked_in_at"] is not None:
            return Scan(row["name"], row["conference"], row["checked_in_at"], first_time=False)
        await conn.execute("UPDATE attendees SET checked_in_at = $2, checked_in_by = $3 WHERE id = $1", row["id"],
                           now, by)  # fmt: skip
        await add_to_outbox(conn, CONFERENCE, contract.CheckedIn(
            producer="conference", correlation_id=uuid4(), payload=contract.AttendeePayload(
                registration_id=row["registration_id"], attendee_id=row["id"], conference_id=row["conference_id"],
                conference_name=row["conference"], name=row["name"], email=row["email"])))  # fmt: skip
    return Scan(row["name"], row["conference"], now, first_time=True)


@dataclass(frozen=True)
class Ticket:
    """A confirmed ticket as the door sees it: who, which ticket types, and whether it was used."""

    code: str
    name: str
    ticket_types: list[str]
    conference_name: str
    time_zone: str
    checked_in_at: datetime | None


async def look_up(deps: Deps, ticket_code: str) -> Ticket | None:
    """The ticket with this code, if its registration is confirmed (the only tickets that open the door)."""
    code = ticket_code.strip().upper()
    row = await deps.pool.fetchrow(
        """SELECT a.name, a.checked_in_at, c.name AS conference, c.time_zone,
                  array_agg(t.name ORDER BY t.kind, t.name) AS ticket_types
           FROM attendees a JOIN registrations r ON r.id = a.registration_id
           JOIN conferences c ON c.id = r.conference_id
           JOIN attendee_tickets at ON at.attendee_id = a.id JOIN ticket_types t ON t.id = at.ticket_type_id
           WHERE a.ticket_code = $1 AND r.status = 'confirmed' GROUP BY a.id, c.id""",
        code,
    )
    if row is None:
        return None
    return Ticket(code, row["name"], list(row["ticket_types"]), row["conference"], row["time_zone"],
                  row["checked_in_at"])  # fmt: skip


async def undo(deps: Deps, ticket_code: str) -> None:
    done = await deps.pool.fetchval(
        "UPDATE attendees SET checked_in_at = NULL, checked_in_by = NULL WHERE ticket_code = $1"
        " AND checked_in_at IS NOT NULL RETURNING true",
        ticket_code.strip().upper(),
    )
    if not done:
        raise NotFound("check-in of this ticket")
