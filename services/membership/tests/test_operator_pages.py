"""The operators' pages at the HTTP level: who may open them, the dashboard's numbers, member
search and its CSV, the level forms and the offline payment form (validation beside the field,
CSRF, nothing written on refusal)."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from membership.domain.calendar import add_months
from membership.service_layer.dashboard import month_starts
from tests.support import stripe as shapes

from .conftest import OPERATOR, Membership, arrive_signed_in, as_member, csrf_of

OPERATOR_PAGES = [
    "",
    "/members",
    "/members.csv",
    f"/members/{uuid4()}",
    "/levels",
    "/levels/new",
    f"/levels/{uuid4()}",
    "/payments/new",
]


def chart_numbers(html: str, chart_id: str) -> dict[str, str]:
    """What the chart's SVG prints: each bar's label and the value written beside it."""
    figure = re.search(rf'<figure class="chart" aria-labelledby="{chart_id}-caption">(.*?)</figure>', html, re.S)
    assert figure, f"no chart {chart_id}"
    svg = figure[1].split("</svg>")[0]
    labels = re.findall(r'<text class="chart-label"[^>]*>([^<]*)</text>', svg)
    values = re.findall(r'<text class="chart-value"[^>]*>([^<]*)</text>', svg)
    return dict(zip(labels, values, strict=True))


async def level_count(membership: Membership) -> int:
    count: int = await membership.pool.fetchval("SELECT count(*) FROM levels")
    return count


async def test_operator_pages_send_visitors_to_sign_in_and_refuse_a_members_session(membership: Membership) -> None:
    for path in OPERATOR_PAGES:
        answer = await membership.client.get(f"/membership/operator{path}")
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/membership/operator/sign-in?next=")

    level = await membership.level()
    email = f"member-{uuid4().hex[:6]}@example.org"
    await membership.pay(await membership.join(level, email=email))
    await as_member(membership, email)
    for path in OPERATOR_PAGES:
        answer = await membership.client.get(f"/membership/operator{path}")
        assert answer.status_code == 403, path
        assert "Operators only" in answer.text
    token = csrf_of(await membership.client.get("/membership/me"))
    before = await level_count(membership)
    for path in ("/levels/new", f"/levels/{level['id']}", f"/levels/{level['id']}/retire", "/payments/new"):
        answer = await membership.client.post(
            f"/membership/operator{path}",
            data={
                "csrf_token": token,
                "name": "Sneaky",
                "price": "1",
                "currency": "usd",
                "term": "annual",
            },
        )
        assert answer.status_code == 403, path
    assert await level_count(membership) == before
    assert await membership.pool.fetchval("SELECT retired_at FROM levels WHERE name = $1", level["name"]) is None


async def test_the_dashboard_charts_show_the_real_numbers(membership: Membership) -> None:
    usd = await membership.level(name="Individual", price_minor=7500)
    cad = await membership.level(name="Canadian", price_minor=5000, currency="cad")
    session = await membership.pay(await membership.join(usd), amount=7500)
    await membership.stripe(
        shapes.event("charge.refunded", shapes.charge_refunded(session["payment_intent"], 7500, 2500))
    )
    canadian = await membership.join(cad)
    metadata = {"convene_kind": "join", "membership_id": canadian["membership"]["id"]}
    paid = shapes.checkout_session(metadata, amount=5000, currency="cad")
    assert (await membership.stripe(shapes.event("checkout.session.completed", paid))).status_code == 200
    await membership.join(usd)  # never pays
    # Paid by cheque a year ago, less an hour: due for renewal within the hour.
    now = datetime.now(UTC)
    zone = membership.deps.settings.zone
    paid_at = add_months(now + timedelta(hours=1), -12, zone)
    recorded = await membership.client.post(
        "/offline-payments",
        headers=OPERATOR,
        json={
            "name": "Chris Cheque",
            "email": "chris@example.org",
            "level_id": usd["id"],
            "amount_minor": 7500,
            "currency": "usd",
            "method": "cheque",
            "reference": "CHQ-1",
            "paid_at": paid_at.isoformat(),
        },
    )
    assert recorded.status_code == 201, recorded.text

    arrive_signed_in(membership, "operator")
    page = await membership.client.get("/membership/operator")
    assert page.status_code == 200
    html = page.text
    assert chart_numbers(html, "members-by-status") == {
        "Waiting for payment": "1",
        "Active": "3",
        "Payment failed, card being retried": "0",
        "In grace period": "0",
        "Lapsed": "0",
        "Cancelled": "0",
    }
    months = [f"{m:%b %Y}" for m in month_starts(now, zone)]
    this_month = months[-1]
    assert chart_numbers(html, "new-members") == {m: "2" if m == this_month else "0" for m in months}
    assert chart_numbers(html, "dues-usd") == {m: "50.00 USD" if m == this_month else "0.00 USD" for m in months}
    assert chart_numbers(html, "dues-cad")[this_month] == "50.00 CAD"
    due_this_month = (now + timedelta(hours=1)).astimezone(zone).month == now.astimezone(zone).month
    renewals = html.split('id="renewals-due"')[1]
    assert ("Chris Cheque" in renewals) is due_this_month


async def test_operators_search_members_and_download_the_same_list_as_csv(membership: Membership) -> None:
    individual = await membership.level(name="Individual")
    agency = await membership.level(name="Agency", kind="organizational", seat_count=5)
    await membership.pay(await membership.join(individual, name="Ada Lovelace", email="ada@example.org"))
    await membership.pay(
        await membership.join(agency, name="Grace Hopper", email="grace@navy.example", organization_name="Navy"),
        amount=7500,
    )
    await membership.join(individual, name="Alan Turing", email="alan@example.org")
    arrive_signed_in(membership, "operator")

    everyone = await membership.client.get("/membership/operator/members")
    assert everyone.status_code == 200
    assert all(name in everyone.text for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing"))
    found = await membership.client.get("/membership/operator/members", params={"q": "navy", "status": "active"})
    assert "Grace Hopper" in found.text
    assert "Ada Lovelace" not in found.text
    assert 'href="/membership/operator/members.csv?q=navy&amp;status=active"' in found.text
    pending = await membership.client.get(
        "/membership/operator/members", params={"status": "pending", "level": individual["id"]}
    )
    assert "Alan Turing" in pending.text
    assert "Ada Lovelace" not in pending.text

    bad = await membership.client.get("/membership/operator/members", params={"expires_before": "next week"})
    assert bad.status_code == 400
    assert re.search(r'id="f-expires_before-error">.*Enter a date like 2026-12-31', bad.text)
    assert 'value="next week"' in bad.text

    exported = await membership.client.get("/membership/operator/members.csv", params={"q": "navy"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert [row["email"] for row in csv.DictReader(io.StringIO(exported.text))] == ["grace@navy.example"]

    member_id = await membership.pool.fetchval("SELECT id FROM members WHERE email = 'grace@navy.example'")
    detail = await membership.client.get(f"/membership/operator/members/{member_id}")
    assert detail.status_code == 200
    assert "Grace Hopper" in detail.text
    assert "Navy" in detail.text
    assert "75.00 USD" in detail.text
    assert (await membership.client.get(f"/membership/operator/members/{uuid4()}")).status_code == 404


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
