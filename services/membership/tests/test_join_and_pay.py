"""Join -> Stripe Checkout -> signed webhook -> active, and everything a webhook must withstand
(reliability properties 1-4, 17)."""

import asyncio
import time
from uuid import UUID

import pytest

from tests.support import stripe as shapes

from .conftest import Membership, published


async def test_joining_creates_a_pending_membership_and_a_checkout_link(membership: Membership) -> None:
    level = await membership.level()
    joined = await membership.join(level)
    assert joined["membership"]["status"] == "pending"
    assert joined["checkout_url"].startswith("https://")
    assert await membership.status(joined["membership"]["id"]) == "pending"
    [event] = await published("membership.member_joined", membership_id=joined["membership"]["id"])
    assert event.payload["amount_minor"] == 7500


async def test_a_paid_checkout_activates_the_membership_and_announces_it(membership: Membership) -> None:
    level = await membership.level(term="monthly")
    joined = await membership.join(level)
    session = await membership.pay(joined)
    membership_id = joined["membership"]["id"]
    assert await membership.status(membership_id) == "active"
    [event] = await published("membership.activated", membership_id=membership_id)
    assert event.payload["level_name"] == level["name"]
    assert (event.payload["amount_minor"], event.payload["currency"]) == (7500, "usd")
    stored = await membership.pool.fetchrow(
        "SELECT amount_minor, method, reference FROM dues_payments WHERE membership_id = $1", UUID(membership_id)
    )
    assert stored is not None
    assert tuple(stored) == (7500, "stripe", f"stripe:{session['id']}")


async def test_the_same_webhook_three_times_two_at_once_changes_state_once(membership: Membership) -> None:
    joined = await membership.join(await membership.level())
    membership_id = joined["membership"]["id"]
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": membership_id}, amount=7500)
    completed = shapes.event("checkout.session.completed", session)

    first, second = await asyncio.gather(membership.stripe(completed), membership.stripe(completed))
    third = await membership.stripe(completed)

    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert sorted(r.json()["outcome"] for r in (first, second, third)) == ["applied", "duplicate", "duplicate"]
    pool = membership.pool
    assert await pool.fetchval("SELECT count(*) FROM dues_payments WHERE membership_id = $1", UUID(membership_id)) == 1
    activations = await pool.fetchval(
        """SELECT count(*) FROM outbox
           WHERE event_type = 'membership.activated' AND convert_from(body, 'UTF8') LIKE '%' || $1::text || '%'""",
        membership_id,
    )
    assert activations == 1
    assert len(await published("membership.activated", membership_id=membership_id, seconds=2)) == 1


@pytest.mark.parametrize("tampering", ["wrong secret", "tampered body", "missing header", "stale timestamp"])
async def test_a_webhook_that_is_not_stripes_gets_400_and_writes_nothing(
    membership: Membership, tampering: str
) -> None:
    joined = await membership.join(await membership.level())
    membership_id = joined["membership"]["id"]
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": membership_id}, amount=7500)
    event = shapes.event("checkout.session.completed", session)
    body, headers = shapes.signed(event, "whsec_test_membership")
    if tampering == "wrong secret":
        body, headers = shapes.signed(event, "whsec_someone_else")
    elif tampering == "tampered body":
        body = body.replace(b'"amount_total": 7500', b'"amount_total": 1')
    elif tampering == "missing header":
        del headers["Stripe-Signature"]
    else:
        body, headers = shapes.signed(event, "whsec_test_membership", timestamp=int(time.time()) - 301)

    response = await membership.client.post("/stripe/webhook", content=body, headers=headers)

    assert response.status_code == 400, response.text
    assert "Stripe-Signature" in response.json()["detail"] or "not a Stripe event" in response.json()["detail"]
    assert await membership.status(membership_id) == "pending"
    assert await membership.pool.fetchval("SELECT count(*) FROM stripe_events") == 0
    assert await membership.pool.fetchval("SELECT count(*) FROM dues_payments") == 0


async def test_a_delayed_payment_activates_only_when_it_succeeds(membership: Membership) -> None:
    joined = await membership.join(await membership.level())
    membership_id = joined["membership"]["id"]
    metadata = {"convene_kind": "join", "membership_id": membership_id}
    unpaid = shapes.checkout_session(metadata, amount=7500, payment_status="unpaid")
    await membership.stripe(shapes.event("checkout.session.completed", unpaid))
    assert await membership.status(membership_id) == "pending"
    await membership.stripe(
        shapes.event("checkout.session.async_payment_succeeded", unpaid | {"payment_status": "paid"})
    )
    assert await membership.status(membership_id) == "active"


async def test_a_failed_delayed_payment_ends_the_application_and_says_so(membership: Membership) -> None:
    joined = await membership.join(await membership.level())
    membership_id = joined["membership"]["id"]
    session = shapes.checkout_session(
        {"convene_kind": "join", "membership_id": membership_id}, amount=7500, payment_status="unpaid"
    )
    await membership.stripe(shapes.event("checkout.session.async_payment_failed", session))
    assert await membership.status(membership_id) == "cancelled"
    assert len(await published("membership.payment_failed", membership_id=membership_id)) == 1


async def test_an_expired_checkout_cancels_the_pending_application(membership: Membership) -> None:
    joined = await membership.join(await membership.level())
    membership_id = joined["membership"]["id"]
    session = shapes.checkout_session(
        {"convene_kind": "join", "membership_id": membership_id}, amount=7500, payment_status="unpaid", status="expired"
    )
    await membership.stripe(shapes.event("checkout.session.expired", session))
    assert await membership.status(membership_id) == "cancelled"
    # A payment that completes after all is kept for the operators, and does not revive it.
    await membership.stripe(shapes.event("checkout.session.completed", session | {"payment_status": "paid"}))
    assert await membership.status(membership_id) == "cancelled"


async def test_another_services_checkout_is_ignored(membership: Membership) -> None:
    session = shapes.checkout_session({"convene_kind": "registration", "registration_id": "r-1"}, amount=100)
    response = await membership.stripe(shapes.event("checkout.session.completed", session))
    assert response.json()["outcome"] == "ignored"


@pytest.mark.parametrize("field", ["status", "price_minor", "period_end"])
async def test_a_client_cannot_set_its_own_status_or_price(membership: Membership, field: str) -> None:
    level = await membership.level()
    body = {"name": "Eve", "email": "eve@example.org", "level_id": level["id"], field: "active"}
    response = await membership.client.post("/memberships", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert await membership.pool.fetchval("SELECT count(*) FROM members") == 0


async def test_invalid_applications_name_the_field_and_write_nothing(membership: Membership) -> None:
    agency = await membership.level(kind="organizational", seat_count=5)
    missing_org = await membership.client.post(
        "/memberships", json={"name": "Ada", "email": "ada@example.org", "level_id": agency["id"]}
    )
    assert missing_org.status_code == 422
    assert missing_org.json()["detail"][0]["loc"] == ["body", "organization_name"]
    bad_email = await membership.client.post("/memberships", json={"name": "A", "email": "x", "level_id": agency["id"]})
    assert bad_email.status_code == 422
    assert bad_email.json()["detail"][0]["loc"] == ["body", "email"]
    assert await membership.pool.fetchval("SELECT count(*) FROM members") == 0


async def test_a_free_level_is_active_at_once_without_stripe(membership: Membership) -> None:
    joined = await membership.join(await membership.level(price_minor=0))
    assert joined["checkout_url"] is None
    assert joined["membership"]["status"] == "active"


async def test_a_person_may_hold_an_individual_and_an_agency_membership(membership: Membership) -> None:
    email = "both@example.org"
    first = await membership.join(await membership.level(), email=email)
    second = await membership.join(
        await membership.level(kind="organizational", seat_count=3), email=email, organization_name="Metro Police"
    )
    assert first["membership"]["member_id"] == second["membership"]["member_id"]
    assert first["membership"]["id"] != second["membership"]["id"]
