"""The member's own pages at the HTTP level: what the page shows, each action through its form
(CSRF required, validation beside the field, nothing written on refusal), and another member's
things answering 404."""

import json
import re
from typing import Any
from uuid import UUID, uuid4

from convene_web.sessions import SESSION_COOKIE
from tests.support import stripe as shapes

from .conftest import Membership, as_member, csrf_of


async def paid_member(
    membership: Membership, level: dict[str, Any] | None = None, email: str | None = None
) -> tuple[str, str]:
    """A member whose one-time dues are paid, signed in on the pages; (membership id, email)."""
    email = email or f"m-{uuid4().hex[:8]}@example.org"
    level = level or await membership.level()
    joined = await membership.join(level, email=email)
    await membership.pay(joined, amount=level["price_minor"])
    await as_member(membership, email)
    return joined["membership"]["id"], email


async def renewing_member(membership: Membership) -> str:
    """A member who pays by subscription (auto-renew), signed in; returns the membership id."""
    email = f"auto-{uuid4().hex[:8]}@example.org"
    joined = await membership.join(await membership.level(), email=email, auto_renew=True)
    membership_id = joined["membership"]["id"]
    metadata = {"convene_kind": "join", "membership_id": membership_id}
    session = shapes.checkout_session(metadata, amount=7500, mode="subscription", subscription=shapes.stripe_id("sub"))
    assert (await membership.stripe(shapes.event("checkout.session.completed", session))).status_code == 200
    await as_member(membership, email)
    return str(membership_id)


async def form_token(membership: Membership, path: str = "/membership/me") -> str:
    page = await membership.client.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page)


async def test_the_member_page_shows_memberships_payments_and_what_each_allows(membership: Membership) -> None:
    level = await membership.level(name="Individual", price_minor=7500)
    await paid_member(membership, level)
    page = await membership.client.get("/membership/me")
    assert page.status_code == 200
    html = page.text
    assert re.search(r"<h3[^>]*>Individual</h3>", html)
    assert '<span class="status">Active</span>' in html
    assert re.search(r"<dt>Renews automatically</dt><dd>No</dd>", html)
    assert "75.00 USD" in html
    [payment_id] = re.findall(r'href="/membership/me/payments/([0-9a-f-]+)"', html)
    assert "Renew now" in html  # one-time dues: renewed by hand
    assert "Stop automatic renewal" not in html
    assert "Manage my card" in html  # paid online: Stripe holds a card
    assert 'href="http://127.0.0.1:8002/events/my"' in html
    receipt = await membership.client.get(f"/membership/me/payments/{payment_id}")
    assert receipt.status_code == 200
    assert f"Receipt {payment_id.split('-')[0].upper()}" in receipt.text
    assert "Individual membership dues" in receipt.text
    assert "Card (Stripe)" in receipt.text


async def test_another_members_receipt_and_membership_are_not_found(membership: Membership) -> None:
    theirs, _ = await paid_member(membership)
    their_payment = await membership.pool.fetchval(
        "SELECT id FROM dues_payments WHERE membership_id = $1", UUID(theirs)
    )
    await paid_member(membership)  # now signed in as someone else
    token = await form_token(membership)
    assert (await membership.client.get(f"/membership/me/payments/{their_payment}")).status_code == 404
    assert (await membership.client.get(f"/membership/me/payments/{uuid4()}")).status_code == 404
    for path in (
        f"/memberships/{theirs}/auto-renew/stop",
        f"/memberships/{theirs}/renew",
        f"/memberships/{theirs}/level",
        f"/memberships/{theirs}/seats",
    ):
        refused = await membership.client.post(f"/membership/me{path}", data={"csrf_token": token})
        assert refused.status_code == 404, path
        assert "Page not found" in refused.text
    assert (await membership.client.get(f"/membership/me/memberships/{theirs}/level")).status_code == 404


async def test_a_member_stops_auto_renew_from_the_page_and_only_with_the_forms_token(membership: Membership) -> None:
    membership_id = await renewing_member(membership)
    page = await membership.client.get("/membership/me")
    assert "Stop automatic renewal" in page.text
    assert "Renew now" not in page.text
    path = f"/membership/me/memberships/{membership_id}/auto-renew/stop"

    forged = await membership.client.post(path, data={"csrf_token": "0" * 64})
    assert forged.status_code == 403
    auto_renew = "SELECT auto_renew FROM memberships WHERE id = $1"
    assert await membership.pool.fetchval(auto_renew, UUID(membership_id)) is True

    stopped = await membership.client.post(path, data={"csrf_token": csrf_of(page)})
    assert stopped.status_code == 303
    assert stopped.headers["location"] == "/membership/me?done=auto-renew-stopped"
    assert await membership.pool.fetchval(auto_renew, UUID(membership_id)) is False
    after = await membership.client.get(stopped.headers["location"])
    assert "Automatic renewal is stopped" in after.text
    assert "Renew now" in after.text

    again = await membership.client.post(path, data={"csrf_token": csrf_of(page)})
    assert again.status_code == 409
    assert "This membership does not renew automatically." in again.text


async def test_renewing_and_managing_the_card_send_the_member_to_stripe(membership: Membership) -> None:
    membership_id, _ = await paid_member(membership)
    token = await form_token(membership)
    renewal = await membership.client.post(
        f"/membership/me/memberships/{membership_id}/renew", data={"csrf_token": token}
    )
    assert renewal.status_code == 303
    assert renewal.headers["location"].startswith("https://")
    portal = await membership.client.post("/membership/me/billing-portal", data={"csrf_token": token})
    assert portal.status_code == 303
    assert portal.headers["location"].startswith("https://")
    assert (await membership.client.post("/membership/me/billing-portal")).status_code == 403


async def test_a_level_change_shows_what_it_costs_and_needs_a_choice(membership: Membership) -> None:
    gold = await membership.level(name="Gold", price_minor=20000)
    silver = await membership.level(name="Silver", price_minor=10000)
    await membership.level(name="Monthly", price_minor=1000, term="monthly")  # another term: not offered
    agency = await membership.level(name="Agency", kind="organizational", seat_count=3)  # another kind: neither
    membership_id, _ = await paid_member(membership, gold)
    path = f"/membership/me/memberships/{membership_id}/level"
    form = await membership.client.get(path)
    assert form.status_code == 200
    assert "Silver: 100.00 USD a year" in form.text
    assert "Monthly" not in form.text
    assert "Agency" not in form.text
    assert re.search(r"\d+\.\d\d USD of what you paid goes unused", form.text)

    level_of = "SELECT level_id FROM memberships WHERE id = $1"
    empty = await membership.client.post(path, data={"csrf_token": csrf_of(form)})
    assert empty.status_code == 400
    assert re.search(
        r'id="f-level-error"><span class="visually-hidden">Error:</span> Choose the level to move to', empty.text
    )
    not_offered = await membership.client.post(path, data={"csrf_token": csrf_of(form), "level": agency["id"]})
    assert not_offered.status_code == 400
    assert 'id="f-level-error"' in not_offered.text
    assert str(await membership.pool.fetchval(level_of, UUID(membership_id))) == gold["id"]

    moved = await membership.client.post(path, data={"csrf_token": csrf_of(form), "level": silver["id"]})
    assert moved.status_code == 303
    assert moved.headers["location"] == "/membership/me?done=level-changed"
    assert str(await membership.pool.fetchval(level_of, UUID(membership_id))) == silver["id"]


async def test_export_downloads_the_members_data_as_json(membership: Membership) -> None:
    _, email = await paid_member(membership)
    exported = await membership.client.get("/membership/me/export")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"].startswith("attachment;")
    data = json.loads(exported.text)
    assert data["member"]["email"] == email
    assert [p["amount_minor"] for p in data["payments"]] == [7500]


async def test_erasing_needs_the_email_typed_then_signs_out_and_says_goodbye(membership: Membership) -> None:
    _, email = await paid_member(membership)
    member_id = await membership.pool.fetchval("SELECT id FROM members WHERE email = $1", email)
    form = await membership.client.get("/membership/me/erase")
    assert form.status_code == 200
    assert "What is kept" in form.text
    token = csrf_of(form)
    erased_at = "SELECT erased_at FROM members WHERE id = $1"

    wrong = await membership.client.post("/membership/me/erase", data={"csrf_token": token, "email": "me@x.org"})
    assert wrong.status_code == 400
    assert 'id="f-email-error"' in wrong.text
    assert "Type the email address you are signed in with" in wrong.text
    assert (await membership.client.post("/membership/me/erase", data={"email": email})).status_code == 403
    assert await membership.pool.fetchval(erased_at, member_id) is None

    copied = membership.client.cookies.get(SESSION_COOKIE)
    done = await membership.client.post("/membership/me/erase", data={"csrf_token": token, "email": email.upper()})
    assert done.status_code == 303
    assert done.headers["location"] == "/membership/goodbye"
    assert f'{SESSION_COOKIE}=""' in done.headers["set-cookie"]
    assert await membership.pool.fetchval(erased_at, member_id) is not None
    goodbye = await membership.client.get("/membership/goodbye")
    assert "Your data is erased" in goodbye.text

    assert copied is not None
    membership.client.cookies.set(SESSION_COOKIE, copied, domain="membership.local")
    assert (await membership.client.get("/membership/me")).status_code == 404  # a copied cookie finds no one


async def test_erasing_waits_until_automatic_renewal_is_stopped(membership: Membership) -> None:
    await renewing_member(membership)
    form = await membership.client.get("/membership/me/erase")
    assert "renews automatically" in form.text
    email = await membership.pool.fetchval("SELECT email FROM members")
    refused = await membership.client.post("/membership/me/erase", data={"csrf_token": csrf_of(form), "email": email})
    assert refused.status_code == 400
    assert "Stop automatic renewal first" in refused.text
    assert await membership.pool.fetchval("SELECT erased_at FROM members") is None


async def test_an_organizations_contact_assigns_and_frees_seats(membership: Membership) -> None:
    agency = await membership.level(name="Agency", kind="organizational", seat_count=1, price_minor=50000)
    email = f"contact-{uuid4().hex[:6]}@example.org"
    joined = await membership.join(agency, email=email, organization_name="Metro Police")
    await membership.pay(joined, amount=50000)
    await as_member(membership, email)
    membership_id = joined["membership"]["id"]
    assert "0 of 1 assigned" in (await membership.client.get("/membership/me")).text
    path = f"/membership/me/memberships/{membership_id}/seats"
    token = await form_token(membership, path)

    bad = await membership.client.post(path, data={"csrf_token": token, "name": "Sam", "email": "sam"})
    assert bad.status_code == 400
    assert 'id="f-email-error"' in bad.text
    assigned = await membership.client.post(path, data={"csrf_token": token, "name": "Sam", "email": "sam@x.org"})
    assert assigned.status_code == 303
    full = await membership.client.get(path)
    assert "Every seat is assigned" in full.text
    [seat_id] = re.findall(rf'action="{path}/([0-9a-f-]+)/remove"', full.text)
    freed = await membership.client.post(f"{path}/{seat_id}/remove", data={"csrf_token": token})
    assert freed.status_code == 303
    assert "0 of 1 assigned" in (await membership.client.get("/membership/me")).text


async def test_every_member_form_refuses_a_post_without_its_token(membership: Membership) -> None:
    membership_id = await renewing_member(membership)
    before = await membership.pool.fetchrow("SELECT level_id, auto_renew FROM memberships")
    for path in (
        f"/memberships/{membership_id}/auto-renew/stop",
        f"/memberships/{membership_id}/renew",
        f"/memberships/{membership_id}/level",
        f"/memberships/{membership_id}/seats",
        f"/memberships/{membership_id}/seats/{uuid4()}/remove",
        "/billing-portal",
        "/erase",
    ):
        refused = await membership.client.post(f"/membership/me{path}", data={"csrf_token": "f" * 64})
        assert refused.status_code == 403, path
        assert "Nothing was saved" in refused.text
    assert await membership.pool.fetchrow("SELECT level_id, auto_renew FROM memberships") == before
    assert await membership.pool.fetchval("SELECT erased_at FROM members") is None
