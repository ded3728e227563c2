"""How operators type amounts and instants on the conference forms, and how they are stored."""

from datetime import UTC, datetime
from decimal import Decimal

from conference.entrypoints.pages.operator.inputs import (
    decimals_message,
    instant,
    is_time_zone,
    local_text,
    minor_units,
)


def test_prices_typed_in_the_currencys_units_become_minor_units_or_are_refused() -> None:
    assert minor_units(Decimal("300"), "usd") == 30000
    assert minor_units(Decimal("450.5"), "usd") == 45050
    assert minor_units(Decimal("0"), "eur") == 0
    assert minor_units(Decimal("5000"), "jpy") == 5000
    assert minor_units(Decimal("3.005"), "usd") is None
    assert minor_units(Decimal("50.5"), "jpy") is None
    assert decimals_message("jpy") == "Amounts in JPY have no decimals"
    assert decimals_message("usd") == "Amounts in USD have at most 2 decimals"


def test_a_wall_clock_time_is_an_instant_in_the_conferences_zone_and_reads_back_the_same() -> None:
    typed = datetime(2027, 3, 14, 9, 30)  # after the US switch to summer time
    stored = instant(typed, "America/Chicago")
    assert stored.astimezone(UTC) == datetime(2027, 3, 14, 14, 30, tzinfo=UTC)
    assert local_text(stored, "America/Chicago") == "2027-03-14T09:30"
    assert local_text(None, "America/Chicago") == ""


def test_only_full_time_zone_names_are_taken() -> None:
    assert is_time_zone("America/Chicago")
    assert is_time_zone("UTC")
    assert not is_time_zone("Chicago")
    assert not is_time_zone("EST")
    assert not is_time_zone("../../etc/passwd")
    assert not is_time_zone("")
