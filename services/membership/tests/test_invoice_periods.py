"""Invoice events are applied by the period they bill (M3): a late failure notice for a period
already paid changes nothing, and a paid invoice for an old period never moves the period back.
Through the real webhook endpoint with Stripe-signed payloads."""

from datetime import timedelta
from typing import Any

from tests.support import stripe as shapes

from .conftest import Membership, published
from .test_renewals_and_calendar import T0, period_end, subscribed

YEAR = timedelta(days=365)


def renewal(subscription_id: str, metadata: dict[str, Any], years: int) -> dict[str, Any]:
    """Stripe's invoice for the subscription's period number `years` (0 is the first)."""
    return shapes.invoice(
        subscription_id, metadata, amount=7500, period_start=T0 + years * YEAR, period_end=T0 + (years + 1) * YEAR
    )


def unpaid(invoice: dict[str, Any]) -> dict[str, Any]:
    return invoice | {"status": "open", "amount_paid": 0}


async def test_a_late_failure_for_the_period_just_paid_is_answered_stale_and_changes_nothing(
    membership: Membership,
) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    second = renewal(subscription_id, metadata, 1)
    assert (await membership.stripe(shapes.event("invoice.paid", second))).json()["outcome"] == "applied"
    # Stripe's first attempt failed, its retry succeeded, and the failure notice arrives last.
    late = await membership.stripe(shapes.event("invoice.payment_failed", unpaid(second)))
    assert late.status_code == 200, late.text
    assert late.json() == {"received": True, "outcome": "stale"}
    assert await membership.status(membership_id) == "active"
    assert await period_end(membership, membership_id) == T0 + 2 * YEAR
    assert await published("membership.payment_failed", membership_id=membership_id, seconds=1) == []


async def test_a_failure_for_an_older_period_than_the_current_one_changes_nothing(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    await membership.stripe(shapes.event("invoice.paid", renewal(subscription_id, metadata, 1)))
    await membership.stripe(shapes.event("invoice.paid", renewal(subscription_id, metadata, 2)))
    older = await membership.stripe(
        shapes.event("invoice.payment_failed", unpaid(renewal(subscription_id, metadata, 1)))
    )
    assert older.json()["outcome"] == "stale"
    assert await membership.status(membership_id) == "active"
    assert await published("membership.payment_failed", membership_id=membership_id, seconds=1) == []


async def test_a_failure_for_the_next_period_still_marks_the_member_past_due(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    failed = await membership.stripe(
        shapes.event("invoice.payment_failed", unpaid(renewal(subscription_id, metadata, 1)))
    )
    assert failed.json()["outcome"] == "applied"
    assert await membership.status(membership_id) == "past_due"


async def test_a_paid_invoice_for_an_old_period_is_kept_but_never_moves_the_period_back(
    membership: Membership,
) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    old = renewal(subscription_id, metadata, 1)
    await membership.stripe(shapes.event("invoice.paid", renewal(subscription_id, metadata, 2)))
    late = await membership.stripe(shapes.event("invoice.paid", old))
    assert late.json()["outcome"] == "stale"
    assert await period_end(membership, membership_id) == T0 + 3 * YEAR
    assert await membership.status(membership_id) == "active"
    references = await membership.pool.fetchval(
        "SELECT count(*) FROM dues_payments WHERE reference = $1", f"stripe:{old['id']}"
    )
    assert references == 1  # the money Stripe took is on record for the operators


async def test_a_paid_invoice_for_an_old_period_does_not_clear_a_newer_failure(membership: Membership) -> None:
    membership_id, subscription_id, metadata = await subscribed(membership)
    await membership.stripe(shapes.event("invoice.paid", renewal(subscription_id, metadata, 1)))
    await membership.stripe(shapes.event("invoice.payment_failed", unpaid(renewal(subscription_id, metadata, 2))))
    assert await membership.status(membership_id) == "past_due"
    late = await membership.stripe(shapes.event("invoice.paid", renewal(subscription_id, metadata, 1)))
    assert late.json()["outcome"] == "stale"
    assert await membership.status(membership_id) == "past_due"
    assert await period_end(membership, membership_id) == T0 + 2 * YEAR
