"""The numbers behind an operator's conference dashboard (C12): the per-ticket-type report, revenue
by month, registrations per day and check-ins. Days and months are the conference's own (its time
zone), as the people running it count them."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from conference.service_layer import reports
from conference.service_layer.deps import Deps
from conference.service_layer.operator_views import conference

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
    found = await conference(deps, conference_id)
    zone = found["time_zone"]
    months = await deps.pool.fetch(
        """SELECT date_trunc('month', confirmed_at AT TIME ZONE $2)::date AS month, sum(amount_minor)::bigint AS revenue
           FROM registrations WHERE conference_id = $1 AND status = 'confirmed' GROUP BY 1 ORDER BY 1""",
        conference_id, zone,
    )  # fmt: skip
    days = await deps.pool.fetch(
        """SELECT (created_at AT TIME ZONE $2)::date AS day, count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
                  count(*) FILTER (WHERE status = 'held') AS held,
                  count(*) FILTER (WHERE status IN ('expired', 'cancelled')) AS ended
           FROM registrations WHERE conference_id = $1 GROUP BY 1 ORDER BY 1 DESC LIMIT $3""",
        conference_id, zone, DAYS_SHOWN,
    )  # fmt: skip
    people = await deps.pool.fetchrow(
        """SELECT count(*) AS attendees, count(a.checked_in_at) AS checked_in
           FROM attendees a JOIN registrations r ON r.id = a.registration_id
           WHERE r.conference_id = $1 AND r.status = 'confirmed'""",
        conference_id,
    )
    assert people is not None
    return Dashboard(
        conference=found,
        ticket_types=await reports.summary(deps, conference_id),
        revenue_by_month=[(row["month"], int(row["revenue"])) for row in months],
        days=[Day(row["day"], row["confirmed"], row["held"], row["ended"]) for row in reversed(days)],
        attendees=people["attendees"],
        checked_in=people["checked_in"],
    )
