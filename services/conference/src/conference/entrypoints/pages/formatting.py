"""How conference times read on a page: in the conference's own time zone, since that is where
the attendee will be (Jinja filters `when`, `dates` and `iso`)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def when(moment: datetime | None, zone: str = "UTC") -> str:
    """The date as people write it, the time and the zone's abbreviation: "1 May 2027 at 23:59 CDT"."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%B %Y} at {local:%H:%M %Z}"


def dates(starts_on: date, ends_on: date) -> str:
    """A conference's days: "16 to 19 August 2027", "30 September to 2 October 2027"."""
    if starts_on == ends_on:
        return f"{starts_on.day} {starts_on:%B %Y}"
    if (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
        return f"{starts_on.day} to {ends_on.day} {ends_on:%B %Y}"
    if starts_on.year == ends_on.year:
        return f"{starts_on.day} {starts_on:%B} to {ends_on.day} {ends_on:%B %Y}"
    return f"{starts_on.day} {starts_on:%B %Y} to {ends_on.day} {ends_on:%B %Y}"


def iso(moment: datetime) -> str:
    """For <time datetime> and the countdown script: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


FILTERS = {"when": when, "dates": dates, "iso": iso}
