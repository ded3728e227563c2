"""Membership's domain rules, without I/O."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from membership.domain.calendar import add_months
from membership.domain.model import Activated, InvalidTransition, Level, Membership, MembershipStatus, Term

PAID = datetime(2026, 1, 31, 15, 0, tzinfo=UTC)


def level(term: Term) -> Level:
    return Level(uuid4(), "Individual", 7500, "usd", term)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2029, 2, 28, tzinfo=UTC)),
        (datetime(2026, 11, 15, tzinfo=UTC), 3, datetime(2027, 2, 15, tzinfo=UTC)),
    ],
)
def test_adding_months_keeps_the_day_or_falls_back_to_the_months_last(
    start: datetime, months: int, expected: datetime
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("term", "end"),
    [(Term.ANNUAL, datetime(2027, 1, 31, 15, 0, tzinfo=UTC)), (Term.MONTHLY, datetime(2026, 2, 28, 15, 0, tzinfo=UTC)),
     (Term.LIFETIME, None)],
)  # fmt: skip
def test_paying_activates_a_pending_membership_for_the_levels_term(term: Term, end: datetime | None) -> None:
    membership = Membership(uuid4(), uuid4(), uuid4())
    membership.activate(level(term), PAID, 7500, "usd")
    assert membership.status is MembershipStatus.ACTIVE
    assert (membership.period_start, membership.period_end) == (PAID, end)
    assert membership.events == [Activated(membership.id, 7500, "usd")]


def test_a_second_payment_notice_does_not_activate_again() -> None:
    membership = Membership(uuid4(), uuid4(), uuid4())
    membership.activate(level(Term.ANNUAL), PAID, 7500, "usd")
    with pytest.raises(InvalidTransition, match="is active, not pending"):
        membership.activate(level(Term.ANNUAL), PAID, 7500, "usd")
    assert len(membership.events) == 1
