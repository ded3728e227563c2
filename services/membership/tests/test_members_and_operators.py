"""Signed-in members (M5, M6, M7, M9, M10) and operators (M1, M8, M11), with who may see what
(reliability properties 16, 18, 19, 20)."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from tests.support import stripe as shapes

from .conftest import OPERATOR, Membership, published, running


async def active_member(membership: Membership, **join: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Joins, pays, signs in; returns the join answer and the member's auth headers."""
    level = join.pop("level", None) or await membership.level()
    email = join.pop("email", f"m-{uuid4().hex[:8]}@example.org")
    joined = await membership.join(level, email=email, **join)
    await membership.pay(joined, amount=level["price_minor"])
    return joined, await membership.sign_in(email)


# ---- sign-in (M9) -------------------------------------------------------------------------------


async def test_a_sign_in_link_works_once(membership: Membership) -> None:
    joined = await membership.join(await membership.level(), email="once@example.org")
    await membership.client.post("/sign-in", json={"email": "once@example.org"})
    token = (await published("membership.sign_in_requested", email="once@example.org"))[0].payload["sign_in_url"]
    token = token.rsplit("/", 1)[1]
    first = await membership.client.post(f"/sign-in/{token}")
    second = await membership.client.post(f"/sign-in/{token}")
    assert first.status_code == 200
    assert second.status_code == 401
    me = await membership.client.get("/me", headers={"Authorization": f"Bearer {first.json()['session_token']}"})
    assert me.json()["memberships"][0]["id"] == joined["membership"]["id"]


async def test_an_expired_sign_in_link_is_refused(database: str) -> None:
    async with running(database, sign_in_link_minutes=1) as m:
        client = m.client
        await m.join(await m.level(), email="late@example.org")
        await client.post("/sign-in", json={"email": "late@example.org"})
        token = (await published("membership.sign_in_requested", email="late@example.org"))[0].payload["sign_in_url"]
        await m.pool.execute("UPDATE sign_in_links SET expires_at = now() - interval '1 second'")
        assert (await client.post(f"/sign-in/{token.rsplit('/', 1)[1]}")).status_code == 401


async def test_asking_for_a_link_for_an_unknown_address_looks_the_same(membership: Membership) -> None:
    response = await membership.client.post("/sign-in", json={"email": "nobody@example.org"})
    assert response.status_code == 202
    assert await membership.pool.fetchval("SELECT count(*) FROM sign_in_links") == 0


# ---- members see only their own (property 16) ---------------------------------------------------


async def test_a_member_cannot_see_or_change_another_members_membership(membership: Membership) -> None:
    mine, me = await active_member(membership)
    theirs, _ = await active_member(membership)
    other_id = theirs["membership"]["id"]
    for method, path in [
        ("POST", f"/me/memberships/{other_id}/renewal"),
        ("POST", f"/me/memberships/{other_id}/auto-renew/stop"),
        ("GET", f"/me/memberships/{other_id}/seats"),
    ]:
        response = await membership.client.request(method, path, headers=me)
        assert response.status_code == 404, path
    listed = (await membership.client.get("/me", headers=me)).json()
    assert [m["id"] for m in listed["memberships"]] == [mine["membership"]["id"]]


async def test_member_endpoints_need_a_session(membership: Membership) -> None:
    assert (await membership.client.get("/me")).status_code == 401
    assert (await membership.client.get("/me", headers={"Authorization": "Bearer forged"})).status_code == 401


# ---- operators (property 18) --------------------------------------------------------------------


async def test_operator_endpoints_refuse_no_token_401_and_a_member_403(membership: Membership) -> None:
    _, member = await active_member(membership)
    for method, path in [
        ("POST", "/levels"),
        ("GET", "/members"),
        ("GET", "/members.csv"),
        ("POST", "/offline-payments"),
    ]:
        assert (await membership.client.request(method, path)).status_code == 401, path
        assert (await membership.client.request(method, path, headers=member)).status_code == 403, path


async def test_operators_edit_and_retire_levels_and_retired_levels_keep_members(membership: Membership) -> None:
    joined, _ = await active_member(membership)
    level_id = joined["membership"]["level_id"]
    edited = await membership.client.patch(f"/levels/{level_id}", json={"price_minor": 9000}, headers=OPERATOR)
    assert edited.json()["price_minor"] == 9000
    retired = await membership.client.post(f"/levels/{level_id}/retire", headers=OPERATOR)
    assert retired.json()["retired"] is True
    assert level_id not in [level["id"] for level in (await membership.client.get("/levels")).json()]
    assert await membership.status(joined["membership"]["id"]) == "active"
    again = await membership.client.post(
        "/memberships", json={"name": "A", "email": "a@example.org", "level_id": level_id}
    )
    assert again.status_code == 422


async def test_operators_search_filter_and_export_members(membership: Membership) -> None:
    await active_member(membership, email="grace.hopper@navy.example")
    await membership.join(await membership.level(), email="pending.person@example.org")
    found = (await membership.client.get("/members", params={"q": "hopper"}, headers=OPERATOR)).json()
    assert [row["email"] for row in found] == ["grace.hopper@navy.example"]
    pending = (await membership.client.get("/members", params={"status": "pending"}, headers=OPERATOR)).json()
    assert {row["email"] for row in pending} == {"pending.person@example.org"}
    soon = datetime.now(UTC) + timedelta(days=400)
    expiring = (
        await membership.client.get("/members", params={"expires_before": soon.isoformat()}, headers=OPERATOR)
    ).json()
    assert {row["email"] for row in expiring} == {"grace.hopper@navy.example"}
    exported = await membership.client.get("/members.csv", params={"status": "active"}, headers=OPERATOR)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["email"], r["status"]) for r in rows] == [("grace.hopper@navy.example", "active")]


async def test_a_csv_cell_cannot_smuggle_a_spreadsheet_formula(membership: Membership) -> None:
    await active_member(membership, name='=HYPERLINK("http://evil")')
    exported = await membership.client.get("/members.csv", headers=OPERATOR)
    [row] = list(csv.DictReader(io.StringIO(exported.text)))
    assert row["name"].startswith("'=")


async def test_an_offline_payment_renews_an_existing_membership(membership: Membership) -> None:
    joined, _ = await active_member(membership)
    membership_id = joined["membership"]["id"]
    before = await membership.pool.fetchval("SELECT period_end FROM memberships WHERE id = $1", UUID(membership_id))
    response = await membership.client.post(
        "/offline-payments",
        headers=OPERATOR,
        json={
            "name": "x",
            "email": "x@example.org",
            "level_id": joined["membership"]["level_id"],
            "membership_id": membership_id,
            "amount_minor": 7500,
            "currency": "usd",
            "method": "bank_transfer",
            "reference": f"TRF-{uuid4().hex[:6]}",
        },
    )
    assert response.status_code == 201, response.text
    assert datetime.fromisoformat(response.json()["period_end"]) > before
    history = (await membership.client.get(f"/members/{joined['membership']['member_id']}", headers=OPERATOR)).json()
    assert sorted(p["method"] for p in history["payments"]) == ["bank_transfer", "stripe"]


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


# ---- rate limits (property 19) ------------------------------------------------------------------


async def test_public_endpoints_that_cost_are_rate_limited_per_client(database: str) -> None:
    async with running(database, rate_limit_per_minute=3) as m:
        client = m.client
        answers = [(await client.post("/sign-in", json={"email": "a@example.org"})).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 429]
        limited = await client.post("/sign-in", json={"email": "a@example.org"})
        assert int(limited.headers["Retry-After"]) > 0
        assert (await client.get("/levels")).status_code == 200  # free endpoints are not limited


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
