"""A member looks after their membership through the pages in a real browser: signs in from the
emailed link, sees the active membership and payment history, opens a printable receipt, stops
automatic renewal, downloads their data (membership's at once, then every service's once
gathered), and erases themselves through the confirmation step."""

import json
import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
from playwright.async_api import expect

from tests.support import stripe
from tests.support.browser import PageCheck, downloaded
from tests.support.services import OPERATOR, Stack, env_file
from tests.support.signing_in import sign_in_as_member
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until


async def member_who_renews_automatically(stack: Stack, level: str, email: str) -> None:
    """Joins with automatic renewal; Stripe completes the subscription's checkout and its first
    invoice, as it would after the person paid on Checkout."""
    secret = env_file("membership")["STRIPE_WEBHOOK_SECRET"]
    async with httpx.AsyncClient(base_url=stack.membership.url) as client:
        created = await client.post(
            "/levels",
            headers=OPERATOR,
            json={
                "name": level,
                "price_minor": 7500,
                "currency": "usd",
                "term": "annual",
            },
        )
        assert created.status_code == 201, created.text
        joined = await client.post(
            "/memberships",
            json={
                "name": "Mary Seacole",
                "email": email,
                "level_id": created.json()["id"],
                "auto_renew": True,
            },
        )
        assert joined.status_code == 201, joined.text
        metadata = {"convene_kind": "join", "membership_id": joined.json()["membership"]["id"]}
        subscription = stripe.stripe_id("sub")
        now = datetime.now(UTC)
        for event in (
            stripe.event(
                "checkout.session.completed",
                stripe.checkout_session(metadata, amount=7500, mode="subscription", subscription=subscription),
            ),
            stripe.event(
                "invoice.paid",
                stripe.invoice(
                    subscription,
                    metadata,
                    amount=7500,
                    period_start=now,
                    period_end=now + timedelta(days=365),
                    billing_reason="subscription_create",
                ),
            ),
        ):
            body, headers = stripe.signed(event, secret)
            answer = await client.post("/stripe/webhook", content=body, headers=headers)
            assert answer.status_code == 200, answer.text


async def test_a_member_sees_pays_attention_to_and_then_erases_their_membership(
    stack: Stack, smtp_server: SmtpServer, tab: PageCheck
) -> None:
    page, base = tab.page, stack.membership.url
    level, email = f"Individual {uuid4().hex[:6]}", f"mary-{uuid4().hex[:8]}@example.org"
    await member_who_renews_automatically(stack, level, email)

    await sign_in_as_member(page, base, smtp_server, email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("My membership")
    membership = page.get_by_role("region", name=level)
    await expect(membership).to_contain_text("Active")
    await expect(membership.locator("dd").nth(2)).to_have_text("Yes")  # renews automatically
    payments = page.get_by_role("region", name="Your payments")
    await expect(payments).to_contain_text("75.00 USD")
    await expect(payments).to_contain_text("Card (Stripe)")
    await expect(page.get_by_role("link", name="My registrations and tickets")).to_have_attribute(
        "href", f"{stack.conference.url}/events/my"
    )
    await tab.check("member-page")

    await payments.get_by_role("link", name="Receipt").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Receipt ")
    await expect(page.get_by_text(f"{level} membership dues")).to_be_visible()
    await expect(page.get_by_role("button", name="Print this receipt")).to_be_visible()  # shown by the script
    await tab.check("receipt")
    await page.get_by_role("link", name="Back to my membership").click()

    await membership.get_by_role("button", name="Stop automatic renewal").click()
    await expect(page.get_by_role("status")).to_contain_text("Automatic renewal is stopped")
    await expect(membership.locator("dd").nth(2)).to_have_text("No")
    await expect(membership.get_by_role("button", name="Stop automatic renewal")).to_have_count(0)
    await expect(membership.get_by_role("button", name=f"Renew now ({level}")).to_be_visible()
    await tab.check("auto-renew-stopped")

    exported = json.loads(await downloaded(tab, page.get_by_role("link", name="Export my data")))
    assert exported["member"]["email"] == email
    assert [p["amount_minor"] for p in exported["payments"]] == [7500]

    # Every service's part: conference and notifications answer over Kafka in their own time.
    await page.get_by_role("button", name="Download my data").click()
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_have_text(re.compile("^(Gathering your data|Your data is ready)$"))
    await tab.check("export-asked")

    async def gathered() -> bool:
        if await heading.text_content() == "Your data is ready":
            return True
        await page.get_by_role("link", name="Check again").click()
        await page.wait_for_load_state()
        return False

    await wait_until(gathered, seconds=60)
    await tab.check("export-ready")
    everything = json.loads(await downloaded(tab, page.get_by_role("link", name="Download my data")))
    assert everything["membership"]["member"]["email"] == email
    assert "attendee_places" in everything["conference"]
    emails = everything["notifications"]["emails"]
    assert "membership.activated" in {e["template"] for e in emails}
    assert {e["recipient"] for e in emails} == {email}
    await page.get_by_role("link", name="Back to my membership").click()

    await page.get_by_role("link", name="Erase me").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Erase my personal data")
    await expect(page.get_by_role("heading", name="What is kept")).to_be_visible()
    await tab.check("erase")
    await page.get_by_label("To confirm, type your email address").fill("someone-else@example.org")
    await page.get_by_role("button", name="Erase my data").click()
    await expect(page.locator("#f-email-error")).to_contain_text("Type the email address you are signed in with")
    await tab.check("erase-with-a-mistake")
    await page.get_by_label("To confirm, type your email address").fill(email)
    await page.get_by_role("button", name="Erase my data").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your data is erased")
    await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)  # signed out
    await tab.check("goodbye")

    await page.goto(f"{base}/membership/me")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


async def test_an_agencys_contact_names_a_seat_holder_and_sees_what_a_level_change_costs(
    stack: Stack, smtp_server: SmtpServer, tab: PageCheck
) -> None:
    page, base, run = tab.page, stack.membership.url, uuid4().hex[:6]
    email = f"chief-{run}@example.org"
    secret = env_file("membership")["STRIPE_WEBHOOK_SECRET"]
    async with httpx.AsyncClient(base_url=base, headers=OPERATOR) as client:
        levels = []
        for name, price in ((f"Agency {run}", 50000), (f"Large agency {run}", 90000)):
            level = {
                "name": name,
                "price_minor": price,
                "currency": "usd",
                "term": "annual",
                "kind": "organizational",
                "seat_count": 2,
            }
            created = await client.post("/levels", json=level)
            assert created.status_code == 201, created.text
            levels.append(created.json())
        application = {
            "name": "Chief Inspector",
            "email": email,
            "level_id": levels[0]["id"],
            "organization_name": "Metro",
        }
        joined = await client.post("/memberships", json=application)
        assert joined.status_code == 201, joined.text
        metadata = {"convene_kind": "join", "membership_id": joined.json()["membership"]["id"]}
        paid = stripe.event("checkout.session.completed", stripe.checkout_session(metadata, amount=50000))
        body, headers = stripe.signed(paid, secret)
        assert (await client.post("/stripe/webhook", content=body, headers=headers)).status_code == 200

    await sign_in_as_member(page, base, smtp_server, email)
    membership = page.get_by_role("region", name=f"Agency {run}")
    await expect(membership).to_contain_text("0 of 2 assigned")
    await membership.get_by_role("link", name="Manage seats").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Seats of Metro")
    await page.get_by_label("Full name").fill("Officer Dibble")
    await page.get_by_label("Email address").fill("dibble")
    await page.get_by_role("button", name="Assign the seat").click()
    await expect(page.locator("#f-email-error")).to_contain_text("Enter the seat holder's email address")
    await tab.check("seats-with-a-mistake")
    await page.get_by_label("Email address").fill(f"dibble-{run}@example.org")
    await page.get_by_role("button", name="Assign the seat").click()
    await expect(page.get_by_role("status")).to_contain_text("The seat is assigned")
    await expect(membership).to_contain_text("1 of 2 assigned")

    await membership.get_by_role("link", name="Change level").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Change your Agency {run} membership")
    await expect(page.get_by_text("You pay ")).to_contain_text("now for the rest of this period")
    await tab.check("change-level")
    await page.get_by_role("button", name="Change level").click()
    await expect(page.locator("#f-level-error")).to_contain_text("Choose the level to move to")
    await page.get_by_label(f"Large agency {run}").check()
    await page.get_by_role("button", name="Change level").click()
    await expect(page.get_by_role("heading", name="Stripe Checkout (test stand-in)")).to_be_visible()
    assert tab.checkouts, "moving up was not sent to Stripe Checkout to pay the difference"
