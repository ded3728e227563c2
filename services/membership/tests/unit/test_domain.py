"""Membership's domain rules, without I/O: every allowed and refused transition, period
arithmetic (month ends, leap years, time zones) and proration."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from membership.domain import events as ev
from membership.domain.calendar import add_months
from membership.domain.errors import InvalidTransition, SeatLimitReached
from membership.domain.model import Level, LevelKind, Membership, MembershipStatus, Term, proration

S = MembershipStatus
PAID = datetime(2026, 1, 31, 15, 0, tzinfo=UTC)
DUES = ev.Money(7500, "usd")
TORONTO = ZoneInfo("America/Toronto")


def level(term: Term = Term.ANNUAL, price: int = 7500, **kw: object) -> Level:
    return Level(uuid4(), "Individual", price, "usd", term, **kw)  # type: ignore[arg-type]


def membership(status: MembershipStatus, **kw: object) -> Membership:
    fields: dict[str, object] = {"period_start": PAID - timedelta(days=365), "period_end": PAID}
    if status is S.IN_GRACE:
        fields["grace_ends_at"] = PAID + timedelta(days=30)
    fields = {"id": uuid4(), "member_id": uuid4(), "level_id": uuid4(), "status": status} | fields | kw
    return Membership(**fields)  # type: ignore[arg-type]


# ---- period arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2029, 2, 28, tzinfo=UTC)),
        (datetime(2026, 11, 15, tzinfo=UTC), 3, datetime(2027, 2, 15, tzinfo=UTC)),
        (datetime(2026, 12, 31, tzinfo=UTC), 2, datetime(2027, 2, 28, tzinfo=UTC)),
    ],
)
def test_adding_months_keeps_the_day_or_falls_back_to_the_months_last(
    start: datetime, months: int, expected: datetime
) -> None:
    assert add_months(start, months) == expected


def test_months_are_counted_in_the_associations_time_zone() -> None:
    # 23:30 on January 31 in Toronto is already February 1 in UTC.
    paid = datetime(2026, 1, 31, 23, 30, tzinfo=TORONTO)
    assert add_months(paid, 1, TORONTO) == datetime(2026, 2, 28, 23, 30, tzinfo=TORONTO)
    assert add_months(paid, 1) == datetime(2026, 3, 1, 4, 30, tzinfo=UTC)  # the UTC answer differs


def test_a_period_across_the_dst_change_keeps_the_local_hour() -> None:
    paid = datetime(2026, 2, 15, 9, 0, tzinfo=TORONTO)  # EST, UTC-5
    end = add_months(paid, 1, TORONTO)  # March 15 is EDT, UTC-4
    assert end.astimezone(TORONTO).hour == 9
    assert end == datetime(2026, 3, 15, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("term", "end"),
    [
        (Term.ANNUAL, datetime(2027, 1, 31, 15, 0, tzinfo=UTC)),
        (Term.MONTHLY, datetime(2026, 2, 28, 15, 0, tzinfo=UTC)),
        (Term.LIFETIME, None),
    ],
)
def test_paying_activates_a_pending_membership_for_the_levels_term(term: Term, end: datetime | None) -> None:
    m = Membership(uuid4(), uuid4(), uuid4())
    m.activate(level(term), PAID, DUES)
    assert m.status is S.ACTIVE
    assert (m.period_start, m.period_end) == (PAID, end)
    assert m.events == [ev.Activated(DUES)]


def test_a_subscription_activates_for_the_period_stripe_billed() -> None:
    m = Membership(uuid4(), uuid4(), uuid4())
    billed_to = datetime(2027, 2, 1, tzinfo=UTC)
    m.activate(level(), PAID, DUES, paid_through=billed_to)
    assert m.period_end == billed_to


# ---- every transition, allowed and refused ------------------------------------------------------

Change = Callable[[Membership], object]
CHANGES: dict[str, Change] = {
    "activate": lambda m: m.activate(level(), PAID, DUES),
    "renew": lambda m: m.renew(level(), PAID, DUES),
    "payment_failed": lambda m: m.payment_failed(DUES, "card declined"),
    "start_grace": lambda m: m.start_grace(PAID + timedelta(days=1), timedelta(days=30)),
    "lapse": lambda m: m.lapse(PAID + timedelta(days=31)),
    "cancel": lambda m: m.cancel("operator"),
}
# Written out by hand, so that a change to the rules in the code has to be made here too.
ALLOWED = {
    "activate": {S.PENDING},
    "renew": {S.ACTIVE, S.PAST_DUE, S.IN_GRACE},
    "payment_failed": {S.PENDING, S.ACTIVE, S.PAST_DUE, S.IN_GRACE},
    "start_grace": {S.ACTIVE, S.PAST_DUE},
    "lapse": {S.IN_GRACE},
    "cancel": {S.PENDING, S.ACTIVE, S.PAST_DUE, S.IN_GRACE},
}
RESULT = {
    ("activate", S.PENDING): S.ACTIVE,
    ("renew", S.ACTIVE): S.ACTIVE,
    ("renew", S.PAST_DUE): S.ACTIVE,
    ("renew", S.IN_GRACE): S.ACTIVE,
    ("payment_failed", S.PENDING): S.CANCELLED,
    ("payment_failed", S.ACTIVE): S.PAST_DUE,
    ("payment_failed", S.PAST_DUE): S.PAST_DUE,
    ("payment_failed", S.IN_GRACE): S.IN_GRACE,
    ("start_grace", S.ACTIVE): S.IN_GRACE,
    ("start_grace", S.PAST_DUE): S.IN_GRACE,
    ("lapse", S.IN_GRACE): S.LAPSED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_applies_only_from_the_states_that_allow_it(change: str, status: MembershipStatus) -> None:
    m = membership(status)
    if status in ALLOWED[change]:
        CHANGES[change](m)
        assert m.status is RESULT.get((change, status), S.CANCELLED)
        assert len(m.events) == 1
    else:
        with pytest.raises(InvalidTransition):
            CHANGES[change](m)
        assert m.status is status
        assert m.events == []


def test_a_cancelled_membership_never_comes_back_by_a_late_payment() -> None:
    m = membership(S.CANCELLED)
    with pytest.raises(InvalidTransition):
        m.renew(level(), PAID, DUES, paid_through=PAID + timedelta(days=365))
    assert m.status is S.CANCELLED


# ---- renewals, grace and lapse ------------------------------------------------------------------


def test_renewing_early_extends_from_the_current_period_end_not_from_today() -> None:
    m = membership(S.ACTIVE)
    assert m.renew(level(), PAID - timedelta(days=10), DUES) is True
    assert m.period_end == datetime(2027, 1, 31, 15, 0, tzinfo=UTC)


def test_renewing_in_grace_starts_the_new_period_from_the_payment() -> None:
    m = membership(S.IN_GRACE)
    paid_late = PAID + timedelta(days=10)
    m.renew(level(), paid_late, DUES)
    assert (m.status, m.period_end, m.grace_ends_at) == (S.ACTIVE, add_months(paid_late, 12), None)


def test_out_of_order_renewals_end_on_the_latest_period() -> None:
    m = membership(S.ACTIVE)
    period_n, period_n1 = PAID + timedelta(days=365), PAID + timedelta(days=730)
    assert m.renew(level(), PAID, DUES, paid_through=period_n1) is True
    assert m.renew(level(), PAID, DUES, paid_through=period_n) is False  # the late, older invoice
    assert m.period_end == period_n1
    assert len(m.events) == 1


def test_grace_starts_at_the_period_end_and_lasts_the_configured_days() -> None:
    m = membership(S.ACTIVE)
    with pytest.raises(InvalidTransition, match="not reached its period end"):
        m.start_grace(PAID - timedelta(seconds=1), timedelta(days=30))
    m.start_grace(PAID, timedelta(days=30))
    assert m.grace_ends_at == PAID + timedelta(days=30)
    assert m.events == [ev.EnteredGrace(PAID + timedelta(days=30))]


def test_lapse_waits_for_the_end_of_grace() -> None:
    m = membership(S.IN_GRACE)
    with pytest.raises(InvalidTransition, match="still in its grace"):
        m.lapse(PAID + timedelta(days=29))
    m.lapse(PAID + timedelta(days=30))
    assert m.status is S.LAPSED


def test_stopping_auto_renew_keeps_the_paid_period() -> None:
    m = membership(S.ACTIVE, auto_renew=True)
    m.stop_auto_renew()
    assert (m.status, m.auto_renew, m.period_end) == (S.ACTIVE, False, PAID)


# ---- level change and proration -----------------------------------------------------------------

START, END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
HALFWAY = START + (END - START) / 2


@pytest.mark.parametrize(
    ("old", "new", "now", "due"),
    [
        (10000, 20000, HALFWAY, 5000),  # up, half the year left: half the difference
        (20000, 10000, HALFWAY, -5000),  # down: a credit
        (10000, 20000, START, 10000),  # at the start: the whole difference
        (10000, 20000, END, 0),  # at the end: nothing left to prorate
        (10000, 10001, HALFWAY, 1),  # half a cent rounds up
        (10000, 20000, END + timedelta(days=3), 0),  # past the end: nothing, never negative time
    ],
)
def test_proration_charges_or_credits_the_difference_for_the_time_left(
    old: int, new: int, now: datetime, due: int
) -> None:
    assert proration(old, new, START, END, now) == due


def test_a_lifetime_membership_pays_the_whole_difference() -> None:
    assert proration(10000, 25000, START, None, HALFWAY) == 15000


def test_changing_level_keeps_the_period_and_announces_the_proration() -> None:
    old, new = level(price=10000), level(price=20000)
    m = membership(S.ACTIVE, level_id=old.id, period_start=START, period_end=END)
    assert m.change_level(old, new, HALFWAY) == 5000
    assert (m.level_id, m.period_end) == (new.id, END)
    assert m.events == [ev.LevelChanged(old.id, old.name, ev.Money(5000, "usd"))]


def test_a_level_of_another_term_is_not_a_change_but_a_new_membership() -> None:
    m = membership(S.ACTIVE)
    with pytest.raises(InvalidTransition, match="keeps the currency and the term"):
        m.change_level(level(Term.ANNUAL), level(Term.MONTHLY), HALFWAY)


# ---- seats --------------------------------------------------------------------------------------


def test_an_organization_assigns_seats_up_to_its_levels_count() -> None:
    agency = level(kind=LevelKind.ORGANIZATIONAL, seat_count=2)
    m = membership(S.ACTIVE)
    m.check_seat_available(agency, seats_in_use=1)
    with pytest.raises(SeatLimitReached, match="all 2 seats"):
        m.check_seat_available(agency, seats_in_use=2)


def test_an_individual_membership_has_no_seats() -> None:
    with pytest.raises(InvalidTransition, match="only an organizational"):
        membership(S.ACTIVE).check_seat_available(level(), seats_in_use=0)


def test_a_lapsed_organization_cannot_assign_seats() -> None:
    agency = level(kind=LevelKind.ORGANIZATIONAL, seat_count=2)
    with pytest.raises(InvalidTransition):
        membership(S.LAPSED).check_seat_available(agency, seats_in_use=0)
