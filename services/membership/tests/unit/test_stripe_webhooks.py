"""Stripe's webhook events applied to memberships (M2, M3) against in-memory fakes."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from membership.domain.model import Level, LevelKind, Membership, MembershipStatus, Term
from membership.service_layer import joining, levels
from membership.service_layer.events import Context
from membership.service_layer.stripe_webhooks import apply_stripe_event
from tests.support import stripe as shapes

from .fakes import World, world

S = MembershipStatus


async def applicant(w: World, *, auto_renew: bool = False, term: Term = Term.ANNUAL) -> tuple[Membership, Level]:
    level = await levels.create_level(
        w.deps,
        name="Individual",
        price_minor=7500,
        currency="usd",
        term=term,
        kind=LevelKind.INDIVIDUAL,
        seat_count=None,
        description="",
    )
    joined = await joining.join(
        w.deps,
        Context(uuid4()),
        name="Ada",
        email="ada@example.org",
        level_id=level.id,
        auto_renew=auto_renew,
        organization_name=None,
    )
    w.store.outbox.clear()
    return joined.membership, level


def at(moment: datetime, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    return shapes.event(event_type, obj, created=moment)


def stored(w: World, membership_id: UUID) -> Membership:
    return w.store.memberships[membership_id]


async def test_a_paid_checkout_activates_the_membership_once_and_records_the_payment() -> None:
    w = world()
    membership, _ = await applicant(w)
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": str(membership.id)}, amount=7500)
    paid_at = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    event = at(paid_at, "checkout.session.completed", session)
    assert await apply_stripe_event(w.deps, event) == "applied"
    assert await apply_stripe_event(w.deps, event) == "duplicate"
    active = stored(w, membership.id)
    assert active.status is S.ACTIVE
    assert active.period_start == paid_at
    assert active.period_end == datetime(2027, 3, 10, 17, 0, tzinfo=UTC)  # 12:00 in Toronto, in daylight time
    assert w.event_types() == ["membership.activated"]
    assert [p["reference"] for p in w.store.payments.values()] == [f"stripe:{session['id']}"]
    assert w.store.customers[membership.member_id] == session["customer"]


async def test_a_checkout_still_awaiting_a_delayed_payment_changes_nothing() -> None:
    w = world()
    membership, _ = await applicant(w)
    session = shapes.checkout_session(
        {"convene_kind": "join", "membership_id": str(membership.id)}, amount=7500, payment_status="unpaid"
    )
    assert await apply_stripe_event(w.deps, at(w.clock.now, "checkout.session.completed", session)) == "ignored"
    assert stored(w, membership.id).status is S.PENDING
    assert w.store.payments == {}


async def test_another_services_checkout_is_not_membership_business() -> None:
    w = world()
    await applicant(w)
    session = shapes.checkout_session({"convene_kind": "registration", "registration_id": str(uuid4())}, amount=100)
    assert await apply_stripe_event(w.deps, at(w.clock.now, "checkout.session.completed", session)) == "ignored"
    assert w.store.outbox == []


async def subscriber(w: World) -> tuple[Membership, str]:
    """An auto-renewing member whose subscription's first invoice was paid on March 10, 2026."""
    membership, _ = await applicant(w, auto_renew=True)
    metadata = {"convene_kind": "join", "membership_id": str(membership.id)}
    subscription_id = shapes.stripe_id("sub")
    start, end = datetime(2026, 3, 10, tzinfo=UTC), datetime(2027, 3, 10, tzinfo=UTC)
    session = shapes.checkout_session(metadata, amount=7500, mode="subscription", subscription=subscription_id)
    first = shapes.invoice(
        subscription_id, metadata, amount=7500, period_start=start, period_end=end, billing_reason="subscription_create"
    )
    await apply_stripe_event(w.deps, at(start, "checkout.session.completed", session))
    await apply_stripe_event(w.deps, at(start, "invoice.paid", first))
    return stored(w, membership.id), subscription_id


async def test_a_subscription_checkout_activates_and_its_first_invoice_is_the_join_payment() -> None:
    w = world()
    membership, subscription_id = await subscriber(w)
    assert membership.status is S.ACTIVE
    assert membership.stripe_subscription_id == subscription_id
    assert membership.period_end == datetime(2027, 3, 10, 1, 0, tzinfo=UTC)  # a year on, in Toronto's time
    assert [p["kind"] for p in w.store.payments.values()] == ["join"]
    assert w.event_types() == ["membership.activated"]


async def test_a_renewal_invoice_moves_the_period_to_what_stripe_billed() -> None:
    w = world()
    membership, subscription_id = await subscriber(w)
    metadata = {"convene_kind": "join", "membership_id": str(membership.id)}
    end, next_end = datetime(2027, 3, 10, tzinfo=UTC), datetime(2028, 3, 10, tzinfo=UTC)
    renewal = shapes.invoice(subscription_id, metadata, amount=7500, period_start=end, period_end=next_end)
    assert await apply_stripe_event(w.deps, at(end, "invoice.paid", renewal)) == "applied"
    renewed = stored(w, membership.id)
    assert renewed.status is S.ACTIVE
    assert renewed.period_end == next_end
    assert [p["kind"] for p in w.store.payments.values()] == ["join", "renewal"]
    assert w.event_types()[-1] == "membership.renewed"


async def test_a_failed_renewal_payment_leaves_the_member_past_due_then_a_payment_restores_it() -> None:
    w = world()
    membership, subscription_id = await subscriber(w)
    metadata = {"convene_kind": "join", "membership_id": str(membership.id)}
    end = datetime(2027, 3, 10, tzinfo=UTC)
    failed = shapes.invoice(subscription_id, metadata, amount=7500, period_start=end, period_end=end)
    assert await apply_stripe_event(w.deps, at(end, "invoice.payment_failed", failed)) == "applied"
    assert stored(w, membership.id).status is S.PAST_DUE
    assert w.event_types()[-1] == "membership.payment_failed"
    paid = shapes.invoice(
        subscription_id, metadata, amount=7500, period_start=end, period_end=end + timedelta(days=365)
    )
    await apply_stripe_event(w.deps, at(end, "invoice.paid", paid))
    assert stored(w, membership.id).status is S.ACTIVE


async def test_a_late_payment_failure_leaves_a_paid_member_active() -> None:
    """A failure notice that arrives after the renewal was paid bills a period already paid: it
    changes nothing (this test pinned the old defect, past due, until the period rule fixed it)."""
    w = world()
    membership, subscription_id = await subscriber(w)
    metadata = {"convene_kind": "join", "membership_id": str(membership.id)}
    end, next_end = datetime(2027, 3, 10, tzinfo=UTC), datetime(2028, 3, 10, tzinfo=UTC)
    renewal = shapes.invoice(subscription_id, metadata, amount=7500, period_start=end, period_end=next_end)
    await apply_stripe_event(w.deps, at(end, "invoice.paid", renewal))
    late = shapes.invoice(subscription_id, metadata, amount=7500, period_start=end, period_end=end)
    assert await apply_stripe_event(w.deps, at(end + timedelta(hours=1), "invoice.payment_failed", late)) == "stale"
    assert stored(w, membership.id).period_end == next_end
    assert stored(w, membership.id).status is S.ACTIVE
    assert "membership.payment_failed" not in w.event_types()


async def test_a_failed_first_payment_ends_the_application_and_an_expired_checkout_cancels_it() -> None:
    w = world()
    failing, _ = await applicant(w)
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": str(failing.id)}, amount=7500)
    await apply_stripe_event(w.deps, at(w.clock.now, "checkout.session.async_payment_failed", session))
    assert stored(w, failing.id).status is S.CANCELLED
    assert w.event_types() == ["membership.payment_failed"]


async def test_a_deleted_subscription_cancels_and_a_cancelled_membership_never_comes_back() -> None:
    w = world()
    membership, subscription_id = await subscriber(w)
    metadata = {"convene_kind": "join", "membership_id": str(membership.id)}
    gone = shapes.subscription(subscription_id, metadata, status="canceled")
    await apply_stripe_event(w.deps, at(w.clock.now, "customer.subscription.deleted", gone))
    cancelled = stored(w, membership.id)
    assert cancelled.status is S.CANCELLED
    assert cancelled.auto_renew is False
    end = datetime(2027, 3, 10, tzinfo=UTC)
    paid = shapes.invoice(
        subscription_id, metadata, amount=7500, period_start=end, period_end=end + timedelta(days=365)
    )
    await apply_stripe_event(w.deps, at(end, "invoice.paid", paid))
    assert stored(w, membership.id).status is S.CANCELLED  # the money is on record for an operator


async def test_a_refund_is_recorded_against_its_payment() -> None:
    w = world()
    membership, _ = await applicant(w)
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": str(membership.id)}, amount=7500)
    await apply_stripe_event(w.deps, at(w.clock.now, "checkout.session.completed", session))
    refund = shapes.charge_refunded(session["payment_intent"], amount=7500, refunded=2500)
    assert await apply_stripe_event(w.deps, at(w.clock.now, "charge.refunded", refund)) == "ignored"
    [payment] = w.store.payments.values()
    assert payment["refunded_minor"] == 2500
