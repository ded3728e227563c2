"""The operators' pages at the HTTP level: who may open them, the dashboard's numbers, member
search and its CSV. The level forms and the offline payment form are in test_operator_forms.py."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
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
