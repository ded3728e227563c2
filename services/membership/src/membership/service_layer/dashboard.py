"""The operators' dashboard in numbers (M8): memberships by status, renewals due this month, dues
received and new members per month over the last twelve months.

Months are the association's (ASSOCIATION_TIMEZONE), as everywhere a member reads a date.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from membership.domain.model import CURRENT, MembershipStatus
from membership.service_layer.deps import Deps

MONTHS = 12


@dataclass(frozen=True)
class Dashboard:
    months: list[date]  # the first day of each of the last twelve months, oldest first
    by_status: dict[MembershipStatus, int]  # every status, zero included
    renewals_due: list[dict[str, Any]]  # current memberships whose period ends this month
    dues_received: dict[str, list[int]]  # currency -> net of refunds per month, in minor units
    new_members: list[int]  # per month: people whose first membership started then


def month_starts(now: datetime, zone: ZoneInfo, count: int = MONTHS) -> list[date]:
    local = now.astimezone(zone)
    index = local.year * 12 + local.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _instant(month: date, zone: ZoneInfo) -> datetime:
    """Midnight at the start of `month` in the association's zone."""
    return datetime(month.year, month.month, 1, tzinfo=zone)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


async def dashboard(deps: Deps) -> Dashboard:
    zone, tz = deps.settings.zone, deps.settings.association_timezone
    months = month_starts(deps.clock(), zone)
    since, this_month = _instant(months[0], zone), months[-1]
    position = {m: i for i, m in enumerate(months)}
    async with deps.uow() as uow:
        statuses = await uow.views.memberships_by_status()
        due = await uow.views.renewals_due(
            [s.value for s in CURRENT], _instant(this_month, zone), _instant(_next_month(this_month), zone)
        )
        received = await uow.views.dues_received(tz, since)
        joined = await uow.views.new_members(tz, since)
    counts = {row["status"]: row["n"] for row in statuses}
    dues: dict[str, list[int]] = {}
    for row in received:
        if row["month"] in position:
            dues.setdefault(row["currency"], [0] * len(months))[position[row["month"]]] = int(row["net"])
    new_members = [0] * len(months)
    for row in joined:
        if row["month"] in position:
            new_members[position[row["month"]]] = row["n"]
    return Dashboard(
        months=months,
        by_status={s: counts.get(s.value, 0) for s in MembershipStatus},
        renewals_due=due,
        dues_received=dues,
        new_members=new_members,
    )
