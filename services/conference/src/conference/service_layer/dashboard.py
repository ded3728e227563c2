"""The numbers behind an operator's conference dashboard (C12): the per-ticket-type report, revenue
by month, registrations per day and check-ins. Days and months are the conference's own (its time
zone), as the people running it count them."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from conference.domain.errors import NotFound
from conference.service_layer.deps import Deps

DAYS_SHOWN = 14  # the most recent days that had registrations


@dataclass(frozen=True)
class Day:
    day: date
    confirmed: int
    held: int
    ended: int  # expired unpaid, or cancelled


@dataclass(frozen=True)
class Dashboard:
    conference: dict[str, Any]
    ticket_types: list[dict[str, Any]]  # reports.summary: capacity, sold, held, available, revenue, waitlist
    revenue_by_month: list[tuple[date, int]]  # confirmed registrations, by the month they were confirmed
    days: list[Day]  # registrations by the day they were made, oldest first
    attendees: int  # on confirmed registrations
    checked_in: int


async def dashboard(deps: Deps, conference_id: UUID) -> Dashboard:
    found = await deps.views.conference(conference_id)
    if found is None:
        raise NotFound("conference")
    zone = found["time_zone"]
    months = await deps.views.revenue_by_month(conference_id, zone)
    days = await deps.views.registrations_by_day(conference_id, zone, DAYS_SHOWN)
    people = await deps.views.attendance(conference_id)
    return Dashboard(
        conference=dict(found),
        ticket_types=[dict(row) for row in await deps.views.by_ticket_type(conference_id)],
        revenue_by_month=[(row["month"], int(row["revenue"])) for row in months],
        days=[Day(row["day"], row["confirmed"], row["held"], row["ended"]) for row in reversed(days)],
        attendees=people["attendees"],
        checked_in=people["checked_in"],
    )
