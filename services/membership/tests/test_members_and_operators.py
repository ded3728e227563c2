"""Signing in (M9), who may see what (reliability properties 16, 18, 19) and the operators' API
(M1, M8, M11). A member's own dues, seats and data are in test_member_self_service.py."""

import csv
import io
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from .conftest import OPERATOR, Membership, active_member, published, running

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


# ---- rate limits (property 19) ------------------------------------------------------------------


async def test_public_endpoints_that_cost_are_rate_limited_per_client(database: str) -> None:
    async with running(database, rate_limit_per_minute=3) as m:
        client = m.client
        answers = [(await client.post("/sign-in", json={"email": "a@example.org"})).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 429]
        limited = await client.post("/sign-in", json={"email": "a@example.org"})
        assert int(limited.headers["Retry-After"]) > 0
        assert (await client.get("/levels")).status_code == 200  # free endpoints are not limited
