"""The rule that applies Stripe's invoices by the period they bill, without I/O: a failure for a
period already paid changes nothing, and the period only moves forward."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from membership.domain import events as ev
from membership.domain.model import Level, Membership, MembershipStatus, Term
from membership.service_layer.stripe_webhooks import apply_stripe_event
from tests.support import stripe as shapes

from .fakes import world
from .test_stripe_webhooks import at, stored, subscriber

S = MembershipStatus
END = datetime(2027, 3, 10, tzinfo=UTC)
YEAR = timedelta(days=365)
DUES = ev.Money(7500, "usd")
LEVEL = Level(uuid4(), "Individual", 7500, "usd", Term.ANNUAL)


def active(period_end: datetime = END, status: MembershipStatus = S.ACTIVE) -> Membership:
    return Membership(uuid4(), uuid4(), LEVEL.id, status, period_start=period_end - YEAR, period_end=period_end)


@pytest.mark.parametrize(
    ("billed_from", "paid"),
    [
        (END - YEAR, True),  # the current period
        (END - 2 * YEAR, True),  # an older one
        (END, False),  # the next one
        (END - timedelta(hours=1), False),  # the next one, Stripe's boundary an hour off ours (time zones)
        (END + YEAR, False),  # one further on
    ],
)
def test_a_period_is_already_paid_when_it_starts_before_the_current_one_ends(billed_from: datetime, paid: bool) -> None:
    assert active().already_paid_for(billed_from) is paid


def test_nothing_is_paid_for_a_membership_without_a_period_or_an_invoice_without_one() -> None:
    pending = Membership(uuid4(), uuid4(), LEVEL.id)
    assert pending.already_paid_for(END) is False
    assert active().already_paid_for(None) is False


def test_a_failure_for_a_paid_period_changes_nothing_and_records_nothing() -> None:
    m = active()
    assert m.payment_failed(DUES, "the automatic renewal payment failed", billed_from=END - YEAR) is False
    assert (m.status, m.events) == (S.ACTIVE, [])


def test_a_failure_for_the_next_period_makes_an_active_member_past_due() -> None:
    m = active()
    assert m.payment_failed(DUES, "the automatic renewal payment failed", billed_from=END) is True
    assert m.status is S.PAST_DUE
    assert m.events == [ev.PaymentFailed(DUES, "the automatic renewal payment failed")]


def test_a_renewal_for_an_older_period_never_moves_the_period_back_nor_clears_past_due() -> None:
    m = active(status=S.PAST_DUE)
    assert m.renew(LEVEL, END, DUES, paid_through=END - YEAR) is False
    assert (m.status, m.period_end, m.events) == (S.PAST_DUE, END, [])


async def test_a_late_payment_failure_for_the_renewal_just_paid_is_stale() -> None:
    w = world()
    membership, subscription_id = await subscriber(w)
    metadata = {"convene_kind": "join", "membership_id": str(membership.id)}
    renewal = shapes.invoice(subscription_id, metadata, amount=7500, period_start=END, period_end=END + YEAR)
    await apply_stripe_event(w.deps, at(END, "invoice.paid", renewal))
    failure = at(END + timedelta(hours=1), "invoice.payment_failed", renewal | {"status": "open"})
    assert await apply_stripe_event(w.deps, failure) == "stale"
    assert stored(w, membership.id).status is S.ACTIVE
    assert w.event_types()[-1] == "membership.renewed"


async def test_a_paid_invoice_for_an_older_period_is_recorded_and_answered_stale() -> None:
    w = world()
    membership, subscription_id = await subscriber(w)
    metadata = {"convene_kind": "join", "membership_id": str(membership.id)}
    newer = shapes.invoice(subscription_id, metadata, amount=7500, period_start=END + YEAR, period_end=END + 2 * YEAR)
    older = shapes.invoice(subscription_id, metadata, amount=7500, period_start=END, period_end=END + YEAR)
    assert await apply_stripe_event(w.deps, at(END, "invoice.paid", newer)) == "applied"
    assert await apply_stripe_event(w.deps, at(END, "invoice.paid", older)) == "stale"
    assert stored(w, membership.id).period_end == END + 2 * YEAR
    assert f"stripe:{older['id']}" in [p["reference"] for p in w.store.payments.values()]
