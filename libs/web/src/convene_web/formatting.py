"""How amounts and dates read on a page (Jinja filters `money`, `day` and `when`)."""

from datetime import datetime
from zoneinfo import ZoneInfo

# Stripe's zero-decimal currencies that an association is likely to use: the amount is already whole.
ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)


def money(minor: int, currency: str) -> str:
    """7500, "usd" -> "75.00 USD": the code, not a symbol, since several currencies share "$"."""
    code = currency.upper()
    if currency.lower() in ZERO_DECIMAL:
        return f"{minor:,} {code}"
    return f"{minor / 100:,.2f} {code}"


def day(moment: datetime | None, zone: str = "UTC") -> str:
    """A date as people write it ("27 November 2026") in the association's time zone."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%B %Y}"


def when(moment: datetime | None, zone: str = "UTC") -> str:
    """A date and time ("27 November 2026, 14:05") in `zone`: logs and check-ins need the hour."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%B %Y, %H:%M}"
