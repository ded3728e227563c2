"""A person joins through the pages in a real browser: levels, the join form (a mistake first),
Stripe Checkout (completed by a signed webhook, as Stripe would), the return page turning into
"you are a member" without a reload, then signing in from the emailed link to the member page."""

import asyncio
from uuid import uuid4

import asyncpg
import httpx
from playwright.async_api import expect

from tests.support import stripe
from tests.support.browser import PageCheck
from tests.support.services import OPERATOR, Stack, env_file
from tests.support.smtp import SmtpServer


async def open_level(stack: Stack, name: str) -> None:
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        created = await client.post(
            "/levels",
            json={
                "name": name,
                "price_minor": 7500,
                "currency": "usd",
                "term": "annual",
                "description": "The journal, member prices at the conference, and a vote at the annual meeting.",
            },
        )
        assert created.status_code == 201, created.text


async def membership_of(stack: Stack, email: str) -> str:
    conn = await asyncpg.connect(stack.databases["membership"])
    try:
        found = await conn.fetchval(
            "SELECT m.id FROM memberships m JOIN members p ON p.id = m.member_id WHERE p.email = $1", email
        )
    finally:
        await conn.close()
    assert found is not None, f"no membership for {email}"
    return str(found)


async def stripe_confirms_payment(stack: Stack, membership_id: str) -> None:
    """What Stripe sends once the person has paid on its Checkout page: a signed webhook."""
    session = stripe.checkout_session({"convene_kind": "join", "membership_id": membership_id}, amount=7500)
    body, headers = stripe.signed(
        stripe.event("checkout.session.completed", session), env_file("membership")["STRIPE_WEBHOOK_SECRET"]
    )
    async with httpx.AsyncClient(base_url=stack.membership.url) as client:
        answer = await client.post("/stripe/webhook", content=body, headers=headers)
    assert answer.status_code == 200, answer.text


async def test_a_person_joins_pays_and_signs_in_through_the_pages(
    stack: Stack, smtp_server: SmtpServer, tab: PageCheck
) -> None:
    page, base = tab.page, stack.membership.url
    level, email = f"Individual {uuid4().hex[:6]}", f"ada-{uuid4().hex[:8]}@example.org"
    await open_level(stack, level)

    await page.goto(f"{base}/membership/levels")
    await expect(page.get_by_role("heading", name=level)).to_be_visible()
    await expect(page.get_by_text("75.00 USD a year").first).to_be_visible()
    await tab.check("levels")

    await page.get_by_role("link", name=f"Join at the {level} level").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Join")
    await expect(page.get_by_label(f"{level}: 75.00 USD a year")).to_be_checked()
    await tab.check("join")

    # A mistake first: the form comes back with the message beside the field and the input kept.
    await page.get_by_label("Full name").fill("Ada Lovelace")
    await page.get_by_label("Email address").fill("ada.example.org")
    await page.get_by_role("button", name="Continue to payment").click()
    await expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    await expect(page.locator("#f-email-error")).to_contain_text("Enter an email address in the right format")
    await expect(page.get_by_label("Email address")).to_have_value("ada.example.org")
    await expect(page.get_by_label("Full name")).to_have_value("Ada Lovelace")
    await tab.check("join-with-a-mistake")

    await page.get_by_label("Email address").fill(email)
    await page.get_by_role("button", name="Continue to payment").click()
    await expect(page.get_by_role("heading", name="Stripe Checkout (test stand-in)")).to_be_visible()
    assert tab.checkouts, "the join form did not send the person to Stripe Checkout"

    # Stripe sends the person back to the return page; the webhook may land before or after.
    membership_id = await membership_of(stack, email)
    await page.goto(f"{base}/membership/joined/{membership_id}")
    await expect(page.get_by_role("heading", name="Payment received, being confirmed")).to_be_visible()
    await tab.check("joined-being-confirmed")
    await page.evaluate("() => { window.stillTheSamePage = true; }")  # a reload would forget this

    await stripe_confirms_payment(stack, membership_id)
    await expect(page.get_by_role("heading", name="You are a member")).to_be_visible(timeout=15_000)
    await expect(page.get_by_role("heading", name="Payment received, being confirmed")).to_be_hidden()
    assert await page.evaluate("() => window.stillTheSamePage === true"), "the page reloaded"
    await tab.check("joined-member")

    await page.get_by_role("link", name="Sign in to see your membership").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    await tab.check("sign-in")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    await tab.check("sign-in-sent")

    messages = await asyncio.to_thread(smtp_server.mailbox.wait_for, email, 2, 30)
    [sign_in_email] = [m for m in messages if m["Subject"].startswith("Your sign-in link")]
    text = sign_in_email.get_body(("plain",))
    assert text is not None
    [link] = [word for word in text.get_content().split() if "/membership/sign-in/" in word]
    assert link.startswith(f"{base}/membership/sign-in/")

    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in to")
    await tab.check("sign-in-link")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("My membership")
    assert page.url == f"{base}/membership/me"
    await expect(page.get_by_role("region", name=level)).to_contain_text("Active")
    await tab.check("member-page")

    await page.goto(link)  # the link works once
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in link does not work")
