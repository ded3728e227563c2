"""What operators look up: the conferences, what one sells (ticket types, discount codes), its
registrations found by a word or a status, and one registration in full."""

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from conference.domain.errors import NotFound
from conference.service_layer.deps import Deps

Row = dict[str, Any]
LISTED = 200  # registrations shown at once; the CSV has them all


async def conferences(deps: Deps) -> list[Row]:
    return [dict(row) for row in await deps.views.conferences()]


async def conference(deps: Deps, conference_id: UUID) -> Row:
    row = await deps.views.conference(conference_id)
    if row is None:
        raise NotFound("conference")
    return dict(row)


async def ticket_types(deps: Deps, conference_id: UUID) -> list[Row]:
    return [dict(row) for row in await deps.views.ticket_types(conference_id)]


async def discount_codes(deps: Deps, conference_id: UUID) -> list[Row]:
    return [dict(row) for row in await deps.views.discount_codes(conference_id)]


async def registrations(deps: Deps, conference_id: UUID, search: str = "", status: str = "") -> list[Row]:
    """Newest first; `search` finds a payer's or an attendee's name or email, or a ticket code."""
    return [dict(row) for row in await deps.views.registrations(conference_id, search, status, LISTED)]


@dataclass(frozen=True)
class RegistrationInFull:
    registration: Row  # with conference_name, time_zone and discount_code
    attendees: list[Row]  # each with `tickets`: [{name, kind, price_minor}]


async def registration(deps: Deps, registration_id: UUID) -> RegistrationInFull:
    found = await deps.views.registration_in_full(registration_id)
    if found is None:
        raise NotFound("registration")
    row, attendees = found
    people = [dict(a) | {"tickets": json.loads(a["tickets"]), "answers": json.loads(a["answers"])} for a in attendees]
    return RegistrationInFull(dict(row), people)
