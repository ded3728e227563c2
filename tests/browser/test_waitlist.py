"""A sold-out ticket type in a real browser: the conference page offers the waitlist, joining
takes a name and an address (a mistake first), and when the place frees up the offer email's
link opens the claim page, whose button holds the place and leads to payment."""

import hashlib
import hmac
from uuid import uuid4

import httpx
from playwright.async_api import expect

from tests.support.browser import PageCheck
from tests.support.services import Stack, env_file
from tests.support.smtp import SmtpServer

from .conference_setup import link_in_email, open_conference


def manage_token(registration_id: str) -> str:
    """The token of the holder's emailed link, signed as the conference signs it."""
    key = env_file("conference")["ATTENDEE_LINK_SECRET"].encode()
    return hmac.new(key, f"registration:{registration_id}".encode(), hashlib.sha256).hexdigest()[:32]


async def test_a_sold_out_ticket_offers_the_waitlist_and_the_freed_place_is_claimed_from_the_offer(
    stack: Stack, smtp_server: SmtpServer, tab: PageCheck
) -> None:
    page, base = tab.page, stack.conference.url
    conference_id, _, [full] = await open_conference(stack, [{"name": "Full conference", "capacity": 1}])
    holder, waiting = f"holder-{uuid4().hex[:8]}@example.org", f"wai-{uuid4().hex[:8]}@example.org"
    async with httpx.AsyncClient(base_url=base) as client:  # someone holds the only place
        held = await client.post(
            f"/conferences/{conference_id}/registrations",
            json={
                "payer_name": "Hol Der",
                "payer_email": holder,
                "attendees": [{"name": "Hol Der", "email": holder, "ticket_type_ids": [full]}],
            },
        )
        assert held.status_code == 201, held.text
    registration_id = str(held.json()["registration_id"])

    await page.goto(f"{base}/events/{conference_id}")
    await expect(page.get_by_role("link", name="Register", exact=True)).to_have_count(0)
    await page.get_by_role("link", name="Sold out — join the waitlist for Full conference").click()
    waitlist = page.locator("#waitlist")
    await expect(waitlist.get_by_role("heading", name="Join the waitlist")).to_be_visible()
    await expect(waitlist.get_by_text("Waiting for: Full conference")).to_be_visible()
    await tab.check("sold-out")

    await waitlist.get_by_label("Full name").fill("Wai Ting")
    await waitlist.get_by_label("Email address").fill("wai.example.org")
    await waitlist.get_by_role("button", name="Join the waitlist").click()
    await expect(page.locator("#f-email-error")).to_contain_text("Enter an email address in the right format")
    await expect(page.get_by_label("Full name")).to_have_value("Wai Ting")
    await tab.check("waitlist-with-a-mistake")
    await page.get_by_label("Email address").fill(waiting)
    await page.get_by_role("button", name="Join the waitlist").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("You are on the waitlist")
    await tab.check("waitlisted")

    # The holder cancels by their signed link; the freed place is offered to the person waiting.
    async with httpx.AsyncClient(base_url=base) as client:
        cancelled = await client.post(
            f"/registrations/{registration_id}/cancel", params={"token": manage_token(registration_id)}
        )
        assert cancelled.status_code == 200, cancelled.text
    link = await link_in_email(smtp_server, waiting, "A seat is yours", "/events/waitlist/")
    assert link.startswith(f"{base}/events/waitlist/")

    await page.goto(link)
    await expect(page.get_by_role("heading", name="A place is kept for you, Wai Ting")).to_be_visible()
    await expect(page.get_by_text("Claim it by")).to_be_visible()
    await tab.check("claim")
    await page.get_by_role("button", name="Claim my place").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Complete your payment")
    await expect(page.get_by_role("link", name="Pay 450.00 USD with Stripe")).to_be_visible()
    await tab.check("claimed-payment")
