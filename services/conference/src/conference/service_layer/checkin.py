"""Check-in at the door (C10): each ticket once; a second scan says when it was used; an
operator can undo a mistaken check-in."""

from dataclasses import dataclass
from datetime import datetime

from conference.domain.errors import NotFound
from conference.service_layer.deps import Deps
from convene_contracts import conference as contract
from convene_delivery.correlation import correlation_or_new


@dataclass(frozen=True)
class Scan:
    name: str
    conference_name: str
    checked_in_at: datetime
    first_time: bool


async def check_in(deps: Deps, ticket_code: str, by: str = "staff") -> Scan:
    now = deps.clock()
    code = ticket_code.strip().upper()
    async with deps.uow() as uow:
        row = await uow.attendees.for_check_in(code)
        if row is None:
            raise NotFound("ticket (unknown code, or the registration is not confirmed)")
        if row["checked_in_at"] is not None:
            return Scan(row["name"], row["conference"], row["checked_in_at"], first_time=False)
        await uow.attendees.check_in(row["id"], now, by)
        payload = contract.AttendeePayload(
            registration_id=row["registration_id"],
            attendee_id=row["id"],
            conference_id=row["conference_id"],
            conference_name=row["conference"],
            name=row["name"],
            email=row["email"],
        )
        await uow.commit(
            [contract.CheckedIn(producer="conference", correlation_id=correlation_or_new(), payload=payload)]
        )
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
    row = await deps.views.ticket(code)
    if row is None:
        return None
    return Ticket(
        code, row["name"], list(row["ticket_types"]), row["conference"], row["time_zone"], row["checked_in_at"]
    )


async def undo(deps: Deps, ticket_code: str) -> None:
    async with deps.uow() as uow:
        if not await uow.attendees.undo_check_in(ticket_code.strip().upper()):
            raise NotFound("check-in of this ticket")
        await uow.commit([])
