"""Calendar arithmetic for membership periods.

Periods are stored in UTC but counted in the association's time zone: a membership paid at
23:30 on January 31 in Toronto runs to the end of February there, whatever the UTC date was.
"""

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def add_months(start: datetime, months: int, zone: ZoneInfo | None = None) -> datetime:
    """The same day `months` later, or that month's last day when it is shorter (Jan 31 -> Feb 28),
    at the same wall-clock time in `zone` (UTC when not given)."""
    local = start.astimezone(zone or UTC)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    # Replacing the date keeps the wall-clock time; tzinfo recomputes the offset (DST-aware).
    return local.replace(year=year, month=month, day=day).astimezone(UTC)


def fraction_remaining(start: datetime, end: datetime, now: datetime) -> float:
    """How much of the period [start, end) is still ahead at `now`, between 0 and 1."""
    total = (end - start).total_seconds()
    if total <= 0:
        return 0.0
    return min(1.0, max(0.0, (end - now).total_seconds() / total))
