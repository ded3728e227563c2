"""What a signed-in member does with their own membership through the API: renewal, the
Customer Portal, automatic renewal, level changes (M4, M6), seats (M5), receipts (M7) and their
data (M10, reliability property 20)."""

from uuid import UUID, uuid4

from tests.support import stripe as shapes

from .conftest import Membership, active_member, published

# ---- self-service with Stripe (M4, M6, M9) -------------------------------------------------------


async def test_a_member_gets_a_renewal_checkout_and_a_customer_portal(membership: Membership) -> None:
    joined, me = await active_member(membership)
    renewal = await membership.client.post(f"/me/memberships/{joined['membership']['id']}/renewal", headers=me)
    assert renewal.status_code == 200, renewal.text
    assert renewal.json()["url"].startswith("https://")
    portal = await membership.client.post("/me/billing-portal", headers=me)
    assert portal.status_code == 200, portal.text


async def test_a_member_stops_auto_renew_and_keeps_the_period(membership: Membership) -> None:
    level = await membership.level()
    email = f"auto-{uuid4().hex[:6]}@example.org"
    joined = await membership.join(level, email=email, auto_renew=True)
    membership_id = joined["membership"]["id"]
    metadata = {"convene_kind": "join", "membership_id": membership_id}
    session = shapes.checkout_session(metadata, amount=7500, mode="subscription", subscription=shapes.stripe_id("sub"))
    await membership.stripe(shapes.event("checkout.session.completed", session))
    me = await membership.sign_in(email)
    stopped = await membership.client.post(f"/me/memberships/{membership_id}/auto-renew/stop", headers=me)
    assert stopped.status_code == 200, stopped.text
    assert (stopped.json()["auto_renew"], stopped.json()["status"]) == (False, "active")
    again = await membership.client.post(f"/me/memberships/{membership_id}/auto-renew/stop", headers=me)
    assert again.status_code == 409


async def test_moving_down_a_level_applies_at_once_with_a_credit(membership: Membership) -> None:
    gold = await membership.level(price_minor=20000)
    silver = await membership.level(price_minor=10000)
    joined, me = await active_member(membership, level=gold)
    response = await membership.client.post(
        f"/me/memberships/{joined['membership']['id']}/level", json={"level_id": silver["id"]}, headers=me
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["checkout_url"] is None
    assert -10000 <= body["prorated_minor"] < -9900  # (almost) the whole year left
    assert body["membership"]["level_id"] == silver["id"]
    [changed] = await published("membership.level_changed", membership_id=joined["membership"]["id"])
    assert changed.payload["previous_level_id"] == gold["id"]


async def test_moving_up_a_level_is_paid_first_then_applied(membership: Membership) -> None:
    silver = await membership.level(price_minor=10000)
    gold = await membership.level(price_minor=20000)
    joined, me = await active_member(membership, level=silver)
    membership_id = joined["membership"]["id"]
    response = await membership.client.post(
        f"/me/memberships/{membership_id}/level", json={"level_id": gold["id"]}, headers=me
    )
    assert response.json()["checkout_url"].startswith("https://")
    due = response.json()["prorated_minor"]
    assert 9900 < due <= 10000
    assert response.json()["membership"]["level_id"] == silver["id"]  # not until paid
    metadata = {"convene_kind": "level_change", "membership_id": membership_id, "new_level_id": gold["id"]}
    await membership.stripe(shapes.event("checkout.session.completed", shapes.checkout_session(metadata, amount=due)))
    level_now = await membership.pool.fetchval("SELECT level_id FROM memberships WHERE id = $1", UUID(membership_id))
    assert str(level_now) == gold["id"]


# ---- seats (M5) ---------------------------------------------------------------------------------


async def test_an_organization_assigns_seats_up_to_its_count(membership: Membership) -> None:
    agency = await membership.level(kind="organizational", seat_count=2, price_minor=50000)
    joined, contact = await active_member(membership, level=agency, organization_name="Metro Police")
    seats_url = f"/me/memberships/{joined['membership']['id']}/seats"
    first = await membership.client.post(
        seats_url, json={"email": "o1@metro.example", "name": "Officer One"}, headers=contact
    )
    await membership.client.post(seats_url, json={"email": "o2@metro.example", "name": "Officer Two"}, headers=contact)
    third = await membership.client.post(
        seats_url, json={"email": "o3@metro.example", "name": "Three"}, headers=contact
    )
    assert third.status_code == 409
    assert "all 2 seats" in third.json()["detail"]
    [assigned] = await published("membership.seat_assigned", email="o1@metro.example")
    assert assigned.payload["organization_name"] == "Metro Police"

    freed = await membership.client.delete(f"{seats_url}/{first.json()['id']}", headers=contact)
    assert freed.status_code == 204
    assert len(await published("membership.seat_removed", email="o1@metro.example")) == 1
    now_ok = await membership.client.post(
        seats_url, json={"email": "o3@metro.example", "name": "Three"}, headers=contact
    )
    assert now_ok.status_code == 201


# ---- privacy (M10, property 20) -----------------------------------------------------------------


async def test_export_gives_the_member_their_data(membership: Membership) -> None:
    joined, me = await active_member(membership, email="export@example.org")
    data = (await membership.client.get("/me/export", headers=me)).json()
    assert data["member"]["email"] == "export@example.org"
    assert data["memberships"][0]["id"] == joined["membership"]["id"]
    assert data["payments"][0]["amount_minor"] == 7500


async def test_erasure_leaves_no_personal_data_and_keeps_payments(membership: Membership) -> None:
    email, name = f"erase-{uuid4().hex[:6]}@example.org", "Erin Erasable"
    joined, me = await active_member(membership, email=email, name=name)
    member_id = joined["membership"]["member_id"]
    refused = await membership.client.post("/me/erase", json={"confirm": "yes"}, headers=me)
    assert refused.status_code == 422
    erased = await membership.client.post("/me/erase", json={"confirm": "erase my data"}, headers=me)
    assert erased.status_code == 204
    assert (await membership.client.get("/me", headers=me)).status_code == 401  # sessions are gone

    pool = membership.pool
    await published("membership.member_erased", member_id=member_id)
    await pool.execute("SELECT 1")  # the relay has published; what is left is what the tables keep
    tables = [
        r["table_name"]
        for r in await pool.fetch("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    ]
    for table in tables:
        rows = await pool.fetch(f'SELECT t::text AS row FROM "{table}" t')  # noqa: S608 - names from the catalog
        for row in rows:
            assert email not in row["row"], f"{table} still holds {row['row']}"
            assert name not in row["row"], f"{table} still holds {row['row']}"
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM dues_payments WHERE membership_id = $1", UUID(joined["membership"]["id"])
        )
        == 1
    )


async def test_a_subscription_changes_level_through_stripe_at_once(membership: Membership) -> None:
    silver = await membership.level(price_minor=10000)
    gold = await membership.level(price_minor=20000)
    email = f"sub-{uuid4().hex[:6]}@example.org"
    joined = await membership.join(silver, email=email, auto_renew=True)
    membership_id = joined["membership"]["id"]
    metadata = {"convene_kind": "join", "membership_id": membership_id}
    session = shapes.checkout_session(metadata, amount=10000, mode="subscription", subscription=shapes.stripe_id("sub"))
    await membership.stripe(shapes.event("checkout.session.completed", session))
    me = await membership.sign_in(email)
    response = await membership.client.post(
        f"/me/memberships/{membership_id}/level", json={"level_id": gold["id"]}, headers=me
    )
    assert response.status_code == 200, response.text
    assert response.json()["checkout_url"] is None  # Stripe bills the proration on the next invoice
    assert response.json()["membership"]["level_id"] == gold["id"]
    assert len(await published("membership.level_changed", membership_id=membership_id)) == 1


async def test_a_member_downloads_a_receipt_for_each_payment_and_only_their_own(membership: Membership) -> None:
    _, me = await active_member(membership, name="Rita Receipt")
    _, other = await active_member(membership)
    [payment] = (await membership.client.get("/me", headers=me)).json()["payments"]
    receipt = await membership.client.get(f"/me/payments/{payment['id']}/receipt", headers=me)
    assert receipt.status_code == 200
    assert "Received from: Rita Receipt" in receipt.text
    assert "Amount: USD 75.00" in receipt.text
    assert f"ref. {payment['reference']}" in receipt.text
    assert (await membership.client.get(f"/me/payments/{payment['id']}/receipt", headers=other)).status_code == 404
