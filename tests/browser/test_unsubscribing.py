"""Unsubscribing from reminders in a real browser: the footer link of a reminder email opens a
page that says what stops and what still comes; the button unsubscribes. The one-click
List-Unsubscribe header stays the API's own address."""

from uuid import uuid4

from playwright.async_api import expect

from convene_contracts import MEMBERSHIP
from convene_contracts.membership import MembershipFacts
from tests.support.browser import PageCheck
from tests.support.kafka import produce
from tests.support.samples import sample_events
from tests.support.services import Stack
from tests.support.smtp import SmtpServer

from .conference_setup import link_in_email


async def test_a_reader_unsubscribes_from_reminders_through_the_page(
    stack: Stack, smtp_server: SmtpServer, tab: PageCheck
) -> None:
    page, base = tab.page, stack.notifications.url
    email = f"reader-{uuid4().hex[:8]}@example.org"
    reminder = sample_events(email)["membership.expiring_soon"]  # not transactional: it carries the link
    assert isinstance(reminder.payload, MembershipFacts)
    await produce(MEMBERSHIP, reminder.model_dump_json().encode(), key=str(reminder.payload.member_id).encode())
    link = await link_in_email(smtp_server, email, "Your Individual membership ends in", "/mail/unsubscribe?")
    assert link.startswith(f"{base}/mail/unsubscribe?email=")
    [message] = smtp_server.mailbox.to(email)
    assert "/mail/" not in message["List-Unsubscribe"]  # mail clients' one click goes to the API

    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from reminders")
    await expect(page.get_by_text(email)).to_be_visible()
    await tab.check("unsubscribe")
    await page.get_by_role("button", name="Unsubscribe from reminders").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    await tab.check("unsubscribed")
