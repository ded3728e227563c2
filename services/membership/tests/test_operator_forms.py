"""The operators' forms at the HTTP level: the level forms and the offline payment form
(validation beside the field, CSRF, nothing written on refusal)."""

import re
from datetime import datetime, timedelta
from typing import Any

from .conftest import Membership, arrive_signed_in, csrf_of


async def level_count(membership: Membership) -> int:
    count: int = await membership.pool.fetchval("SELECT count(*) FROM levels")
    return count


async def post_level(membership: Membership, path: str, **fields: str) -> Any:
    token = csrf_of(await membership.client.get("/membership/operator/levels/new"))
    return await membership.client.post(f"/membership/operator/levels{path}", data={"csrf_token": token} | fields)


async def test_a_level_form_shows_each_problem_beside_its_field_and_writes_nothing(membership: Membership) -> None:
    arrive_signed_in(membership, "operator")
    refused = await post_level(membership, "/new", name=" ", price="seventy", currency="dollars", kind="organizational")
    assert refused.status_code == 400
    for field, message in [
        ("name", "Enter the level&#39;s name"),
        ("price", "Enter the price as an amount"),
        ("currency", "Enter the currency&#39;s three-letter code"),
        ("term", "Choose how long a membership at this level lasts"),
        ("seat_count", "Enter how many people the organization may name"),
    ]:
        assert re.search(
            rf'id="f-{field}-error"><span class="visually-hidden">Error:</span> {message}', refused.text
        ), field
    assert 'value="seventy"' in refused.text  # the input is kept
    cents = await post_level(membership, "/new", name="Yen", price="10.5", currency="JPY", term="annual")
    assert re.search(r'id="f-price-error"', cents.text)  # yen have no cents
    assert await level_count(membership) == 0
    token_missing = await membership.client.post(
        "/membership/operator/levels/new",
        data={
            "name": "Individual",
            "price": "75",
            "currency": "usd",
            "term": "annual",
        },
    )
    assert token_missing.status_code == 403
    assert await level_count(membership) == 0


async def test_operators_create_edit_and_retire_a_level_through_the_forms(membership: Membership) -> None:
    arrive_signed_in(membership, "operator")
    created = await post_level(
        membership,
        "/new",
        name="Agency",
        price="1,250.50",
        currency="EUR",
        term="annual",
        kind="organizational",
        seat_count="10",
        description="Ten seats",
    )
    assert created.status_code == 303
    assert created.headers["location"] == "/membership/operator/levels"
    row = await membership.pool.fetchrow("SELECT * FROM levels WHERE name = 'Agency'")
    assert row is not None
    assert (row["price_minor"], row["currency"], row["kind"], row["seat_count"]) == (
        125050,
        "eur",
        "organizational",
        10,
    )
    again = await post_level(membership, "/new", name="Agency", price="1", currency="EUR", term="annual")
    assert again.status_code == 400
    assert "A level with this name exists already" in again.text

    level_id = row["id"]
    form = await membership.client.get(f"/membership/operator/levels/{level_id}")
    assert 'value="1250.50"' in form.text
    edited = await post_level(membership, f"/{level_id}", name="Agency", price="1300", seat_count="12")
    assert edited.status_code == 303
    row = await membership.pool.fetchrow("SELECT * FROM levels WHERE id = $1", level_id)
    assert row is not None
    assert (row["price_minor"], row["seat_count"], row["currency"]) == (130000, 12, "eur")
    bad = await post_level(membership, f"/{level_id}", name="Agency", price="-3", seat_count="12")
    assert bad.status_code == 400
    assert 'id="f-price-error"' in bad.text

    retired = await post_level(membership, f"/{level_id}/retire")
    assert retired.status_code == 303
    assert "No, retired" in (await membership.client.get("/membership/operator/levels")).text
    assert (await membership.client.get("/membership/levels")).text.count("Agency") == 0


async def test_operators_record_an_offline_payment_through_the_form(membership: Membership) -> None:
    level = await membership.level(name="Individual", price_minor=7500)
    arrive_signed_in(membership, "operator")
    token = csrf_of(await membership.client.get("/membership/operator/payments/new"))
    tomorrow = (datetime.now(membership.deps.settings.zone) + timedelta(days=1)).date().isoformat()
    base = {
        "csrf_token": token,
        "name": "Chris Cheque",
        "email": "chris@example.org",
        "level": level["id"],
        "amount": "75.00",
        "method": "cheque",
        "reference": "CHQ-7",
    }

    mistakes = {"amount": "lots", "method": "", "paid_on": tomorrow}
    refused = await membership.client.post("/membership/operator/payments/new", data=base | mistakes)
    assert refused.status_code == 400
    for field in ("amount", "method", "paid_on"):
        assert f'id="f-{field}-error"' in refused.text, field
    assert await membership.pool.fetchval("SELECT count(*) FROM dues_payments") == 0

    recorded = await membership.client.post("/membership/operator/payments/new", data=base)
    assert recorded.status_code == 303
    member_id = await membership.pool.fetchval("SELECT id FROM members WHERE email = 'chris@example.org'")
    assert recorded.headers["location"] == f"/membership/operator/members/{member_id}?done=payment-recorded"
    membership_id = await membership.pool.fetchval("SELECT id FROM memberships WHERE member_id = $1", member_id)
    assert await membership.status(str(membership_id)) == "active"

    twice = await membership.client.post("/membership/operator/payments/new", data=base)
    assert twice.status_code == 400
    assert "A payment with this reference is recorded already" in twice.text

    # A renewal from the member's page: the form knows the member and the level.
    renewal = await membership.client.get("/membership/operator/payments/new", params={"membership": membership_id})
    assert "Chris Cheque" in renewal.text
    end = "SELECT period_end FROM memberships WHERE id = $1"
    before = await membership.pool.fetchval(end, membership_id)
    renewed = await membership.client.post(
        "/membership/operator/payments/new",
        data={
            "csrf_token": token,
            "membership": str(membership_id),
            "level": level["id"],
            "name": "Chris Cheque",
            "email": "chris@example.org",
            "amount": "75",
            "method": "bank_transfer",
            "reference": "TRF-8",
        },
    )
    assert renewed.status_code == 303
    assert await membership.pool.fetchval(end, membership_id) > before


async def test_every_operator_form_refuses_a_post_without_its_token(membership: Membership) -> None:
    level = await membership.level(name="Individual")
    arrive_signed_in(membership, "operator")
    await membership.client.get("/membership/operator/levels")  # the CSRF cookie, but no field
    for path in ("/levels/new", f"/levels/{level['id']}", f"/levels/{level['id']}/retire", "/payments/new"):
        refused = await membership.client.post(
            f"/membership/operator{path}",
            data={
                "name": "Changed",
                "price": "1",
                "currency": "usd",
                "term": "annual",
                "email": "x@example.org",
                "level": level["id"],
                "amount": "1",
                "method": "cash",
                "reference": "R-1",
            },
        )
        assert refused.status_code == 403, path
    row = await membership.pool.fetchrow("SELECT name, retired_at FROM levels")
    assert row is not None
    assert (row["name"], row["retired_at"], await level_count(membership)) == ("Individual", None, 1)
    assert await membership.pool.fetchval("SELECT count(*) FROM dues_payments") == 0
