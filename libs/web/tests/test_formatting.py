"""How amounts and instants read on a page."""

from datetime import UTC, datetime

from convene_web.formatting import day, money, when


def test_an_instant_reads_with_its_hour_in_the_zone_asked_for() -> None:
    moment = datetime(2026, 11, 27, 15, 5, tzinfo=UTC)
    assert when(moment, "America/Chicago") == "27 November 2026, 09:05"
    assert when(moment) == "27 November 2026, 15:05"
    assert when(None) == ""
    assert day(moment, "Pacific/Auckland") == "28 November 2026"


def test_amounts_read_in_the_currencys_units_with_its_code() -> None:
    assert money(45050, "usd") == "450.50 USD"
    assert money(5000, "jpy") == "5,000 JPY"
