"""How operators type amounts and instants, and how the service stores them.

People type prices in the currency's units ("300" or "300.00"), stored in minor units; instants
come from `datetime-local` fields ("2027-03-01T09:00") in the conference's own time zone, stored
in UTC.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from convene_web.formatting import ZERO_DECIMAL

LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what a datetime-local field sends and shows


def decimals(currency: str) -> int:
    return 0 if currency.lower() in ZERO_DECIMAL else 2


def minor_units(amount: Decimal, currency: str) -> int | None:
    """300.00 USD -> 30000; None when the amount has more decimals than the currency has."""
    scaled = amount * 10 ** decimals(currency)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def decimals_message(currency: str) -> str:
    places = decimals(currency)
    return f"Amounts in {currency.upper()} have {'no' if places == 0 else f'at most {places}'} decimals"


def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return "/" in name or name == "UTC"  # IANA names; not bare abbreviations such as "EST"


def instant(moment: datetime, zone: str) -> datetime:
    """A wall-clock time the operator typed, as an instant in the conference's time zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(zone))


def maybe_instant(moment: datetime | None, zone: str) -> datetime | None:
    return instant(moment, zone) if moment is not None else None


def local_text(moment: datetime | None, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime(LOCAL_INPUT) if moment is not None else ""
