"""Auto-renew through Stripe subscriptions (M3), and reminders, grace and lapse driven by an
injected clock (M4), exactly once even with two schedulers."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from membership.service_layer.lifecycle import run_lifecycle
from tests.support import stripe as shapes

from .conftest import Membership, published

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def subscribed(membership: Membership) -> tuple[str, str, dict[str, Any]]:
    """A member who chose auto-renew and whose subscription's first invoice is paid."""
    joined = await membership.join(await membership.level(), auto_renew=True)
    membership_id = joined["membership"]["id"]
    metadata = {"convene_kind": "join", "membership_id": membership_id}
    subscription_id = shapes.stripe_id("sub")
    session = shapes.checkout_session(metadata, amount=7500, mode="subscription", subscription=subscription_id)
    await membership.stripe(shapes.event("checkout.session.completed", session, created=T0))
    first = shapes.invoice(
        subscription_id,
        metadata,
        amount=7500,
        period_start=T0,
        period_end=T0 + timedelta(days=365),
        billing_reason="subscription_create",
    )
    await membership.stripe(shapes.event("invoice.paid", first, created=T0))
    return membership_id, subscription_id, metadata


async def period_end(membership: Membership, membership_id: str) -> datetime:
    found: datetime = await membership.pool.fetchval(
        "SELECT period_end FROM memberships WHERE id = $1", UUID(membership_id)
    )
    return found


async def test_an_auto_renew_join_activates_once_for_the_billed_period(membership: Membership) -> None:
    membership_id, _, _ = await subscribed(membership)
    assert await membership.status(membership_id) == "active"
    assert len(await published("membership.activated", membership_id=membership_id)) == 1
    assert await published("membership.renewed", membership_id=membership_id, seconds=1) == []
    assert (
        await membership.pool.fetchval(
            "SELECT count(*) FROM dues_payments WHERE membership_id = $1", UUID(membership_id)
        )
        == 1
    )


async def test_a_paid_renewal_invoice_extends_the_period(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    next_end = T0 + timedelta(days=730)
    renewal = shapes.invoice(
        subscription_id, metadata, amount=7500, period_start=T0 + timedelta(days=365), period_end=next_end
    )
    await membership.stripe(shapes.event("invoice.paid", renewal))
    assert await period_end(membership, membership_id) == next_end
    [renewed] = await published("membership.renewed", membership_id=membership_id)
    assert renewed.payload["amount_minor"] == 7500


async def test_the_invoice_may_arrive_before_the_checkout_completion(membership: Membership) -> None:
    joined = await membership.join(await membership.level(), auto_renew=True)
    membership_id = joined["membership"]["id"]
    metadata = {"convene_kind": "join", "membership_id": membership_id}
    subscription_id = shapes.stripe_id("sub")
    first = shapes.invoice(
        subscription_id,
        metadata,
        amount=7500,
        period_start=T0,
        period_end=T0 + timedelta(days=365),
        billing_reason="subscription_create",
    )
    await membership.stripe(shapes.event("invoice.paid", first))
    session = shapes.checkout_session(metadata, amount=7500, mode="subscription", subscription=subscription_id)
    await membership.stripe(shapes.event("checkout.session.completed", session))
    assert await membership.status(membership_id) == "active"
    assert await period_end(membership, membership_id) == T0 + timedelta(days=365)
    assert len(await published("membership.activated", membership_id=membership_id)) == 1


async def test_period_n_plus_one_before_period_n_ends_on_n_plus_one(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    year = timedelta(days=365)
    n = shapes.invoice(subscription_id, metadata, amount=7500, period_start=T0 + year, period_end=T0 + 2 * year)
    n1 = shapes.invoice(subscription_id, metadata, amount=7500, period_start=T0 + 2 * year, period_end=T0 + 3 * year)
    await membership.stripe(shapes.event("invoice.paid", n1))
    await membership.stripe(shapes.event("invoice.paid", n))
    assert await period_end(membership, membership_id) == T0 + 3 * year
    assert len(await published("membership.renewed", membership_id=membership_id)) == 1


async def test_a_deleted_subscription_is_not_revived_by_a_late_invoice(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    deleted = shapes.subscription(subscription_id, metadata, status="canceled")
    await membership.stripe(shapes.event("customer.subscription.deleted", deleted))
    late = shapes.invoice(
        subscription_id,
        metadata,
        amount=7500,
        period_start=T0 + timedelta(days=365),
        period_end=T0 + timedelta(days=730),
    )
    await membership.stripe(shapes.event("invoice.paid", late))
    assert await membership.status(membership_id) == "cancelled"
    assert len(await published("membership.cancelled", membership_id=membership_id)) == 1
    assert await published("membership.renewed", membership_id=membership_id, seconds=1) == []


async def test_a_failed_renewal_payment_marks_past_due_and_a_later_payment_restores(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    failed = shapes.invoice(
        subscription_id,
        metadata,
        amount=7500,
        period_start=T0 + timedelta(days=365),
        period_end=T0 + timedelta(days=730),
    ) | {"status": "open", "amount_paid": 0}
    await membership.stripe(shapes.event("invoice.payment_failed", failed))
    assert await membership.status(membership_id) == "past_due"
    [notice] = await published("membership.payment_failed", membership_id=membership_id)
    assert notice.payload["reason"] == "the automatic renewal payment failed"
    await membership.stripe(shapes.event("invoice.paid", failed | {"status": "paid", "amount_paid": 7500}))
    assert await membership.status(membership_id) == "active"


async def test_cancelling_at_period_end_in_the_portal_turns_auto_renew_off(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    updated = shapes.subscription(subscription_id, metadata, cancel_at_period_end=True)
    await membership.stripe(shapes.event("customer.subscription.updated", updated))
    auto = await membership.pool.fetchval("SELECT auto_renew FROM memberships WHERE id = $1", UUID(membership_id))
    assert auto is False
    assert await membership.status(membership_id) == "active"


async def test_a_refund_is_recorded_on_the_payment(membership: Membership) -> None:
    joined = await membership.join(await membership.level())
    session = await membership.pay(joined)
    await membership.stripe(
        shapes.event("charge.refunded", shapes.charge_refunded(session["payment_intent"], 7500, 2500))
    )
    refunded = await membership.pool.fetchval(
        "SELECT refunded_minor FROM dues_payments WHERE stripe_payment_intent = $1", session["payment_intent"]
    )
    assert refunded == 2500


async def one_time_member(membership: Membership, paid_at: datetime) -> str:
    joined = await membership.join(await membership.level())
    membership_id = joined["membership"]["id"]
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": membership_id}, amount=7500)
    await membership.stripe(shapes.event("checkout.session.completed", session, created=paid_at))
    return str(membership_id)


async def test_reminders_grace_and_lapse_follow_the_calendar_once_each(membership: Membership) -> None:
    membership_id = await one_time_member(membership, T0)
    end = await period_end(membership, membership_id)
    deps = membership.deps

    async def at(moment: datetime) -> None:
        await run_lifecycle(deps, moment)

    await at(end - timedelta(days=31))
    assert await published("membership.expiring_soon", membership_id=membership_id, seconds=1) == []
    await at(end - timedelta(days=30))
    await at(end - timedelta(days=29))  # the 30-day reminder is not repeated
    await at(end - timedelta(days=7))
    await at(end - timedelta(days=1))
    reminders = await published("membership.expiring_soon", expect=3, membership_id=membership_id)
    assert sorted(r.payload["days_before"] for r in reminders) == [1, 7, 30]

    await at(end - timedelta(seconds=1))
    assert await membership.status(membership_id) == "active"
    await at(end)
    assert await membership.status(membership_id) == "in_grace"
    [grace] = await published("membership.in_grace", membership_id=membership_id)
    assert grace.payload["grace_ends_at"] == (end + timedelta(days=30)).isoformat().replace("+00:00", "Z")

    await at(end + timedelta(days=29))
    assert await membership.status(membership_id) == "in_grace"
    await at(end + timedelta(days=30))
    assert await membership.status(membership_id) == "lapsed"
    assert len(await published("membership.lapsed", membership_id=membership_id)) == 1


async def test_a_membership_starting_close_to_its_end_gets_only_the_nearest_reminder(membership: Membership) -> None:
    membership_id = await one_time_member(membership, T0)
    end = await period_end(membership, membership_id)
    await run_lifecycle(membership.deps, end - timedelta(days=5))  # 30 and 7 are both due: only 7 goes out
    await run_lifecycle(membership.deps, end - timedelta(days=4))
    [reminder] = await published("membership.expiring_soon", membership_id=membership_id)
    assert reminder.payload["days_before"] == 7


async def test_two_schedulers_at_once_move_and_remind_each_membership_once(membership: Membership) -> None:
    ids = [await one_time_member(membership, T0) for _ in range(5)]
    end = await period_end(membership, ids[0])
    moment = end - timedelta(days=1)
    await asyncio.gather(run_lifecycle(membership.deps, moment), run_lifecycle(membership.deps, moment))
    moment = end + timedelta(hours=1)
    reports = await asyncio.gather(run_lifecycle(membership.deps, moment), run_lifecycle(membership.deps, moment))
    assert sum(r.in_grace for r in reports) == 5
    for membership_id in ids:
        assert len(await published("membership.expiring_soon", membership_id=membership_id)) == 1
        assert len(await published("membership.in_grace", membership_id=membership_id)) == 1


async def test_an_auto_renewing_member_is_not_put_in_grace_while_stripe_renews(membership: Membership) -> None:
    membership_id, _, _ = await subscribed(membership)
    end = await period_end(membership, membership_id)
    await run_lifecycle(membership.deps, end + timedelta(hours=47))
    assert await membership.status(membership_id) == "active"
    await run_lifecycle(membership.deps, end + timedelta(hours=48))
    assert await membership.status(membership_id) == "in_grace"


async def test_renewing_by_hand_from_grace_brings_the_member_back(membership: Membership) -> None:
    membership_id = await one_time_member(membership, T0)
    end = await period_end(membership, membership_id)
    await run_lifecycle(membership.deps, end + timedelta(days=3))
    assert await membership.status(membership_id) == "in_grace"
    paid_at = end + timedelta(days=4)
    session = shapes.checkout_session({"convene_kind": "renewal", "membership_id": membership_id}, amount=7500)
    await membership.stripe(shapes.event("checkout.session.completed", session, created=paid_at))
    assert await membership.status(membership_id) == "active"
    assert await period_end(membership, membership_id) > paid_at + timedelta(days=364)
