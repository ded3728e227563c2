"""The registration aggregate, without I/O: every transition from every state, allowed or
refused, and the events each records."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from conference.domain import events as ev
from conference.domain.errors import NotPayable, RegistrationRefused
from conference.domain.model import RefundPolicy, RegistrationStatus
from conference.domain.registration import CANCELLED_BY_ATTENDEE, LATE_REFUND_REASON, Registration

S = RegistrationStatus
NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
POLICY = RefundPolicy(NOW + timedelta(days=30), NOW + timedelta(days=60), 50)


def registration(status: S = S.HELD, amount: int = 45000, **fields: Any) -> Registration:
    return Registration(
        uuid4(),
        uuid4(),
        status,
        "pat@example.org",
        amount,
        "usd",
        NOW + timedelta(minutes=15),
        refund_policy=POLICY,
        **fields,
    )


def test_a_held_registration_is_confirmed_with_its_payment() -> None:
    r = registration()
    r.confirm(NOW, "pi_1")
    assert (r.status, r.confirmed_at, r.payment_intent) == (S.CONFIRMED, NOW, "pi_1")
    assert r.events == [ev.Confirmed(late=False)]


@pytest.mark.parametrize("status", [S.CONFIRMED, S.EXPIRED, S.CANCELLED])
def test_only_a_held_registration_is_confirmed(status: S) -> None:
    r = registration(status)
    with pytest.raises(RegistrationRefused, match=f"a {status} registration cannot confirm"):
        r.confirm(NOW, "pi_1")
    assert r.status is status
    assert r.events == []


def test_an_expired_registration_paid_late_is_confirmed_late() -> None:
    r = registration(S.EXPIRED)
    r.confirm_late(NOW, "pi_1")
    assert r.status is S.CONFIRMED
    assert r.payment_intent == "pi_1"
    assert r.events == [ev.Confirmed(late=True)]


@pytest.mark.parametrize("status", [S.HELD, S.CONFIRMED, S.CANCELLED])
def test_only_an_expired_registration_is_confirmed_late(status: S) -> None:
    with pytest.raises(RegistrationRefused):
        registration(status).confirm_late(NOW, "pi_1")


def test_a_late_payment_whose_seats_are_gone_is_refunded_in_full() -> None:
    r = registration(S.EXPIRED, amount=45000)
    r.refund_late(NOW, "pi_1")
    # Owed, not paid: nothing is recorded as refunded, nor announced, before Stripe took it.
    assert (r.status, r.cancelled_at, r.refund_due_minor, r.refunded_minor) == (S.CANCELLED, NOW, 45000, 0)
    assert r.events == []
    refund = r.owe_refund(uuid4(), LATE_REFUND_REASON)
    assert refund is not None
    assert (refund.registration_id, refund.payment_intent, refund.amount_minor) == (r.id, "pi_1", 45000)
    r.refund_paid(refund)
    assert r.refunded_minor == 45000
    assert r.events == [ev.RefundIssued(45000, "pi_1", LATE_REFUND_REASON)]
    assert r.owe_refund(uuid4(), LATE_REFUND_REASON) is None


@pytest.mark.parametrize("status", [S.HELD, S.CONFIRMED, S.CANCELLED])
def test_only_an_expired_registration_is_refunded_late(status: S) -> None:
    with pytest.raises(RegistrationRefused):
        registration(status).refund_late(NOW, "pi_1")


def test_a_hold_expires_once() -> None:
    r = registration()
    r.expire()
    assert r.status is S.EXPIRED
    assert r.events == [ev.HoldExpired()]
    with pytest.raises(RegistrationRefused):
        r.expire()
    assert r.events == [ev.HoldExpired()]


@pytest.mark.parametrize("status", [S.CONFIRMED, S.CANCELLED])
def test_a_paid_or_cancelled_registration_never_expires(status: S) -> None:
    with pytest.raises(RegistrationRefused):
        registration(status).expire()


@pytest.mark.parametrize(
    ("when", "refund"),
    [(NOW, 45000), (NOW + timedelta(days=40), 22500), (NOW + timedelta(days=90), 0)],
)
def test_a_confirmed_registration_cancels_under_the_refund_policy(when: datetime, refund: int) -> None:
    r = registration(S.CONFIRMED, payment_intent="pi_1")
    assert r.cancel(when) == refund
    assert (r.status, r.cancelled_at, r.refund_due_minor) == (S.CANCELLED, when, refund)
    assert r.events == [ev.Cancelled(refund, CANCELLED_BY_ATTENDEE)]


def test_a_held_registration_cancels_with_nothing_to_refund() -> None:
    r = registration()
    assert r.cancel(NOW) == 0
    assert r.status is S.CANCELLED
    assert r.events == [ev.Cancelled(0, CANCELLED_BY_ATTENDEE)]


def test_an_expired_registration_cannot_cancel() -> None:
    with pytest.raises(RegistrationRefused, match="a expired registration cannot cancel"):
        registration(S.EXPIRED).cancel(NOW)


def test_cancelling_again_while_the_refund_is_owed_changes_nothing_and_says_what_is_owed() -> None:
    r = registration(S.CANCELLED, refund_due_minor=45000, refunded_minor=0, payment_intent="pi_1")
    assert r.cancel(NOW) == 45000
    assert r.events == []
    assert r.status is S.CANCELLED


def test_cancelling_again_once_refunded_is_refused() -> None:
    r = registration(S.CANCELLED, refund_due_minor=45000, refunded_minor=45000)
    with pytest.raises(RegistrationRefused):
        r.cancel(NOW)


def test_a_paid_refund_is_recorded_with_its_event() -> None:
    r = registration(S.CONFIRMED, payment_intent="pi_1")
    due = r.cancel(NOW)
    refund = r.owe_refund(uuid4(), CANCELLED_BY_ATTENDEE)
    assert refund is not None
    assert refund.amount_minor == due == 45000
    r.refund_paid(refund)
    assert r.refunded_minor == 45000
    assert r.refund_owed == 0
    assert r.events[-1] == ev.RefundIssued(45000, "pi_1", CANCELLED_BY_ATTENDEE)


def test_only_a_hold_in_time_can_be_paid_for() -> None:
    registration().check_payable(NOW)
    with pytest.raises(NotPayable):
        registration().check_payable(NOW + timedelta(minutes=15))
    for status in (S.CONFIRMED, S.EXPIRED, S.CANCELLED):
        with pytest.raises(NotPayable):
            registration(status).check_payable(NOW)
