"""What operators set up (C1, C2, C6): conferences, ticket types with prices and capacity,
discount codes; and what visitors see of them."""

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from conference.domain.errors import NotFound, RegistrationRefused
from conference.service_layer.deps import Deps


@dataclass(frozen=True)
class ConferenceSetup:
    """A conference as an operator sets it up (the API's and the form's input, checked)."""

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
    max_tickets_per_registration: int = 10


async def create_conference(deps: Deps, c: ConferenceSetup) -> UUID:
    conference_id = uuid4()
    async with deps.uow() as uow:
        await uow.catalog.add_conference(conference_id, asdict(c))
        await uow.commit([])
    return conference_id


async def update_conference(deps: Deps, conference_id: UUID, c: ConferenceSetup) -> None:
    """Changes a conference's details (C1). Currency, capacity, questions and status stay as they
    are: prices and capacity pools were made in them, and registrations may already hold seats."""
    async with deps.uow() as uow:
        if not await uow.catalog.update_conference(conference_id, asdict(c)):
            raise NotFound("conference")
        await uow.commit([])


async def set_status(deps: Deps, conference_id: UUID, status: str) -> None:
    """Draft (being prepared), open (registration follows its instants) or closed (no more)."""
    async with deps.uow() as uow:
        if not await uow.catalog.set_status(conference_id, status):
            raise NotFound("conference")
        await uow.commit([])


async def add_ticket_type(deps: Deps, conference_id: UUID, fields: dict[str, Any]) -> UUID:
    ticket_type_id = uuid4()
    async with deps.uow() as uow:
        if not await uow.catalog.conference_exists(conference_id):
            raise NotFound("conference")
        if not await uow.catalog.add_ticket_type(ticket_type_id, conference_id, fields):
            raise RegistrationRefused("name", "this conference has a ticket type of this name already")
        await uow.commit([])
    return ticket_type_id


async def add_discount_code(deps: Deps, conference_id: UUID, fields: dict[str, Any]) -> UUID:
    code_id = uuid4()
    async with deps.uow() as uow:
        match await uow.catalog.add_discount_code(code_id, conference_id, fields):
            case "code taken":
                raise RegistrationRefused("code", "this conference has this code already")
            case "no conference":
                raise NotFound("conference")
        await uow.commit([])
    return code_id


async def conference_page(deps: Deps, conference_id: UUID) -> dict[str, Any]:
    """What a visitor sees: the conference, its ticket types, prices and what is left (C1, C2, C12)."""
    found = await deps.views.conference_page(conference_id)
    if found is None:
        raise NotFound("conference")
    conference, ticket_types, left = found
    tickets = [dict(t) | {"sold_out": t["available"] == 0} for t in ticket_types]
    result = dict(conference) | {"ticket_types": tickets, "questions": _questions(conference["questions"])}
    if left is not None:
        result["available"] = left
    return result


def _questions(stored: str) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = json.loads(stored)
    return questions


async def open_conferences(deps: Deps) -> list[dict[str, Any]]:
    """Conferences a visitor may register for now or soon: open, and registration not yet closed."""
    return [dict(r) for r in await deps.views.open_conferences(deps.clock())]
