"""An operator runs a conference through the pages in a real browser: signs in, creates the
conference and its ticket type through the forms (a mistake first), opens registration; a person
registers and pays (a signed webhook, as Stripe would send); at the door the operator scans the
ticket, scans it again, undoes; the dashboard charts the real numbers; the delivery log shows the
ticket email and resends it."""

import asyncio
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import asyncpg
import httpx
from playwright.async_api import Page, expect

from tests.support import stripe
from tests.support.browser import PageCheck
from tests.support.services import Stack, env_file
from tests.support.signing_in import sign_in_as_operator
from tests.support.smtp import SmtpServer

ZONE = "America/Chicago"


async def emails_about(smtp: SmtpServer, to: str, subject: str, count: int) -> list[EmailMessage]:
    """The emails to `to` whose subject starts with `subject`, once there are `count` of them."""
    async with asyncio.timeout(30):
        while True:
            found = [m for m in smtp.mailbox.to(to) if str(m["Subject"]).startswith(subject)]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.1)


async def a_person_registers_and_pays(
    stack: Stack, conference_id: str, ticket_type_id: str, name: str, email: str
) -> str:
    """Registration through the API (the attendee's pages are another page family), then Stripe's
    signed checkout.session.completed. Returns the ticket code."""
    async with httpx.AsyncClient(base_url=stack.conference.url) as client:
        held = await client.post(
            f"/conferences/{conference_id}/registrations",
            json={
                "payer_name": name,
                "payer_email": email,
                "attendees": [{"name": name, "email": email, "ticket_type_ids": [ticket_type_id]}],
            },
        )
        assert held.status_code == 201, held.text
        registration_id = held.json()["registration_id"]
        session = stripe.checkout_session(
            {"convene_kind": "registration", "registration_id": registration_id}, amount=held.json()["amount_minor"]
        )
        body, headers = stripe.signed(
            stripe.event("checkout.session.completed", session), env_file("conference")["STRIPE_WEBHOOK_SECRET"]
        )
        paid = await client.post("/stripe/webhook", content=body, headers=headers)
        assert paid.status_code == 200, paid.text
    conn = await asyncpg.connect(stack.databases["conference"])
    try:
        code = await conn.fetchval("SELECT ticket_code FROM attendees WHERE email = $1", email)
    finally:
        await conn.close()
    assert code, "the paid registration has no ticket code"
    return str(code)


async def checked_in_at(stack: Stack, code: str) -> datetime:
    conn = await asyncpg.connect(stack.databases["conference"])
    try:
        at: datetime = await conn.fetchval("SELECT checked_in_at FROM attendees WHERE ticket_code = $1", code)
    finally:
        await conn.close()
    return at


async def scan(page: Page, code: str) -> None:
    """What a USB scanner does: types into the focused field and presses Enter."""
    await expect(page.get_by_label("Ticket code")).to_be_focused()
    await page.keyboard.type(code)
    await page.keyboard.press("Enter")


async def test_an_operator_sets_up_a_conference_checks_an_attendee_in_and_resends_the_ticket(
    stack: Stack, smtp_server: SmtpServer, tab: PageCheck
) -> None:
    page, base = tab.page, stack.conference.url
    name, ticket = f"CIT Annual Conference {uuid4().hex[:4]}", "Full conference"
    attendee, email = "Grace Hopper", f"grace-{uuid4().hex[:8]}@example.org"
    local = datetime.now(UTC).astimezone(ZoneInfo(ZONE))

    await sign_in_as_operator(page, f"{base}/events/operator")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Conferences")
    await tab.check("conferences")

    await page.get_by_role("link", name="New conference").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("New conference")
    await tab.check("new-conference")
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Venue").fill("Chicago, Navy Pier")
    await page.get_by_label("Time zone").fill("Chicago")  # the mistake: not a time zone's full name
    await page.get_by_label("First day").fill("2027-08-16")
    await page.get_by_label("Last day").fill("2027-08-19")
    await page.get_by_label("Registration opens").fill(f"{local - timedelta(days=1):%Y-%m-%dT%H:%M}")
    await page.get_by_label("Registration closes").fill(f"{local + timedelta(days=60):%Y-%m-%dT%H:%M}")
    await page.get_by_label("Currency").fill("USD")
    await page.get_by_role("button", name="Create the conference").click()
    await expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    await expect(page.locator("#f-time_zone-error")).to_contain_text("Enter a time zone by its full name")
    await expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    await tab.check("new-conference-with-a-mistake")

    await page.get_by_label("Time zone").fill(ZONE)
    await page.get_by_role("button", name="Create the conference").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await expect(page.get_by_role("heading", name="Registration is not open yet (draft)")).to_be_visible()
    conference_id = page.url.rsplit("/", 1)[1]
    await tab.check("dashboard-draft")

    await page.get_by_role("link", name="Add the first ticket type").click()
    await page.get_by_label("Name", exact=True).fill(ticket)
    await page.get_by_label("Seats").fill("50")
    await page.get_by_label("Members' price (USD)", exact=True).fill("300")
    await page.get_by_label("Price for everyone else (USD)", exact=True).fill("450.00")
    await tab.check("new-ticket-type")
    await page.get_by_role("button", name="Add the ticket type").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ticket types and discount codes")
    await expect(page.get_by_role("row", name=ticket)).to_contain_text("450.00 USD")
    await tab.check("ticket-types")
    conn = await asyncpg.connect(stack.databases["conference"])
    try:
        ticket_type_id = str(
            await conn.fetchval("SELECT id FROM ticket_types WHERE conference_id = $1", UUID(conference_id))
        )
    finally:
        await conn.close()

    await page.get_by_role("link", name="Dashboard").click()
    await page.get_by_role("button", name="Open registration").click()
    await expect(page.get_by_role("heading", name="Registration is open")).to_be_visible()

    code = await a_person_registers_and_pays(stack, conference_id, ticket_type_id, attendee, email)
    await emails_about(smtp_server, email, "Your ticket for", 1)

    await page.get_by_role("link", name="Check-in screen").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Check-in")
    await tab.check("check-in")
    await scan(page, code)
    await expect(page.get_by_role("heading", level=2)).to_contain_text(f"Checked in: {attendee}, {ticket}")
    await tab.check("checked-in")

    await scan(page, code)
    at = (await checked_in_at(stack, code)).astimezone(ZoneInfo(ZONE))
    await expect(page.get_by_role("heading", level=2)).to_contain_text(f"Already checked in at {at:%H:%M}")
    await tab.check("already-checked-in")

    await page.get_by_role("button", name=f"Undo the check-in of {attendee}").click()
    await expect(page.get_by_role("heading", level=2)).to_contain_text(f"Check-in undone: {attendee}")
    await tab.check("check-in-undone")
    await scan(page, "NOT-A-TICKET-0")
    await expect(page.get_by_role("heading", level=2)).to_contain_text("Unknown ticket")
    await tab.check("unknown-ticket")
    await scan(page, code)  # at the door for real this time
    await expect(page.get_by_role("heading", level=2)).to_contain_text(f"Checked in: {attendee}")

    await page.goto(f"{base}/events/operator/{conference_id}")
    revenue = page.get_by_role("figure", name="Revenue by ticket type")
    await expect(revenue).to_contain_text(ticket)
    await expect(revenue).to_contain_text("450.00 USD")
    by_month = page.get_by_role("figure", name="Revenue by month")
    await expect(by_month).to_contain_text(f"{local:%B %Y}")
    await expect(by_month).to_contain_text("450.00 USD")
    await expect(page.get_by_role("figure", name="Seats per ticket type")).to_contain_text(
        f"{ticket}: Sold 1, Held while paying 0, Kept for the waitlist 0, Free 49"
    )
    await expect(page.get_by_role("figure", name="Registrations per day")).to_contain_text("Confirmed 1")
    await expect(page.get_by_text("1 of 1", exact=True)).to_be_visible()  # checked in, of the attendees
    await tab.check("dashboard")

    await page.get_by_role("link", name="See the registrations").click()
    await expect(page.get_by_role("row", name=attendee)).to_contain_text("Confirmed")
    await tab.check("registrations")
    await page.get_by_role("link", name=attendee).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Registration of {attendee}")
    await expect(page.get_by_role("row", name=attendee)).to_contain_text(code)
    await tab.check("registration")

    await page.get_by_role("link", name="Email log").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Email delivery log")
    await page.get_by_label("To (all or part of an address)").fill(email)
    await page.get_by_label("About").select_option("conference.registration_confirmed")
    await page.get_by_role("button", name="Find").click()
    ticket_email = page.get_by_role("row", name=f"Your ticket for {name}")
    await expect(ticket_email).to_contain_text("Sent")
    await tab.check("delivery-log")
    await ticket_email.get_by_role("button", name="Resend").click()
    await expect(page.get_by_role("status")).to_contain_text(f"The email to {email} is queued to be sent again")
    await tab.check("delivery-log-resent")
    [first, again] = await emails_about(smtp_server, email, "Your ticket for", 2)
    assert again["Subject"] == first["Subject"] == f"Your ticket for {name}: {code}"
