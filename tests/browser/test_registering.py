"""A member registers for a conference through the pages in a real browser: the conference page,
signing in from the registration form, a mistake first, the member price on the payment page,
Stripe (completed by a signed webhook), the registration page turning to "confirmed" without a
reload, the ticket email's link to the tickets with their QR codes, "my registrations", and
cancelling, which shows the refund before and after."""

import re
from uuid import uuid4

from playwright.async_api import expect

from tests.support.browser import PageCheck
from tests.support.services import Stack
from tests.support.smtp import SmtpServer

from .conference_setup import QUESTIONS, link_in_email, member_known_to_the_conference, open_conference, stripe_confirms

WORKSHOP = {
    "name": "De-escalation workshop",
    "kind": "addon",
    "capacity": 20,
    "member_price_minor": 5000,
    "non_member_price_minor": 7500,
}


async def test_a_member_registers_pays_the_member_price_gets_the_ticket_and_cancels_for_a_refund(
    stack: Stack, smtp_server: SmtpServer, tab: PageCheck
) -> None:
    page, base = tab.page, stack.conference.url
    email = f"ada-{uuid4().hex[:8]}@example.org"
    _, name, _ = await open_conference(stack, [{"name": "Full conference"}, WORKSHOP], questions=QUESTIONS)
    await member_known_to_the_conference(stack, email)

    await page.goto(f"{base}/events")
    await tab.check("conferences")
    await page.get_by_role("link", name=f"Tickets and prices for {name}").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await expect(page.get_by_text("300.00 USD").first).to_be_visible()
    await expect(page.get_by_text("450.00 USD").first).to_be_visible()
    await tab.check("conference")

    await page.get_by_role("link", name="Register", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Register for")
    await tab.check("register")

    # Signing in from the form brings the member back to it, with their address filled in.
    await page.get_by_role("main").get_by_role("link", name="Sign in").click()
    await page.get_by_label("Email address").fill(email)
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    await page.goto(await link_in_email(smtp_server, email, "Your sign-in link", "/membership/sign-in/"))
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Register for")
    attendee = page.get_by_role("group", name="Attendee", exact=True)
    await expect(attendee.get_by_label("Email address")).to_have_value(email)
    await expect(page.get_by_text("Member prices apply")).to_be_visible()

    # A mistake first: the form comes back with the message beside the question, the rest kept.
    await attendee.get_by_label("Full name").fill("Ada Lovelace")
    await attendee.get_by_label("De-escalation workshop").check()
    await attendee.get_by_label("Dietary needs").fill("Vegetarian")
    await page.get_by_role("button", name="Continue to payment").click()
    await expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    await expect(page.locator("#f-a0_q_role-error")).to_contain_text("Answer “Your role”")
    await expect(attendee.get_by_label("Dietary needs")).to_have_value("Vegetarian")
    await expect(attendee.get_by_label("De-escalation workshop")).to_be_checked()
    await tab.check("register-with-a-mistake")

    await attendee.get_by_role("group", name="Your role").get_by_label("Dispatcher").check()
    await attendee.get_by_role("group", name="Is this your first CIT conference?").get_by_label("No").check()
    await page.get_by_role("button", name="Continue to payment").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Complete your payment")
    await expect(page.get_by_role("link", name="Pay 350.00 USD with Stripe")).to_be_visible()  # 300 + 50: members'
    await expect(page.get_by_text("(member price)").first).to_be_visible()
    await expect(page.locator("time[data-countdown]")).to_have_text(re.compile(r"^\d+:\d\d$"))  # ticking
    await tab.check("payment")
    found = re.search(r"/events/registrations/([0-9a-f-]+)/pay\?token=(\w+)$", page.url)
    assert found, page.url
    registration_id, token = found[1], found[2]

    await page.get_by_role("link", name="Pay 350.00 USD with Stripe").click()
    await expect(page.get_by_role("heading", name="Stripe Checkout (test stand-in)")).to_be_visible()
    assert tab.checkouts, "the payment page did not send the person to Stripe Checkout"

    # Stripe sends the person back to the registration page; the webhook may land before or after.
    await page.goto(f"{base}/events/registrations/{registration_id}?token={token}")
    await expect(page.get_by_role("heading", name="Waiting for your payment")).to_be_visible()
    await tab.check("registration-waiting")
    await page.evaluate("() => { window.stillTheSamePage = true; }")  # a reload would forget this
    await stripe_confirms(stack, registration_id, 35000)
    await expect(page.get_by_role("heading", name="Payment confirmed: you are registered")).to_be_visible(
        timeout=15_000
    )
    assert await page.evaluate("() => window.stillTheSamePage === true"), "the page reloaded"

    link = await link_in_email(smtp_server, email, "Your ticket for", "/events/registrations/")
    assert link == f"{base}/events/registrations/{registration_id}?token={token}"
    await page.goto(link)
    await expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
    await expect(page.get_by_role("img", name=re.compile(r"^QR code of ticket [0-9A-F]{10}$"))).to_be_visible()
    await tab.check("registration")

    await page.goto(f"{base}/events/my")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My registrations")
    await expect(page.get_by_role("row", name=name)).to_contain_text("Registered")
    await tab.check("my-registrations")
    await page.get_by_role("link", name=name).click()

    await page.get_by_role("link", name="Cancel registration").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your registration?")
    await expect(page.get_by_role("heading", name="Refund if you cancel now: 350.00 USD")).to_be_visible()
    await tab.check("cancel")
    await page.get_by_role("button", name="Yes, cancel my registration").click()
    await expect(page.get_by_role("heading", name="This registration is cancelled")).to_be_visible()
    await expect(page.get_by_text("Refund: 350.00 USD")).to_be_visible()
    await tab.check("cancelled")


async def test_a_group_is_chosen_first_and_grows_or_shrinks_without_losing_what_was_typed(
    stack: Stack, tab: PageCheck
) -> None:
    page, base = tab.page, stack.conference.url
    conference_id, _, _ = await open_conference(stack, [{"name": "Full conference"}], questions=QUESTIONS)
    await page.goto(f"{base}/events/{conference_id}/register")
    await page.get_by_label("How many people are you registering?").select_option("2")
    await page.get_by_role("button", name="Show the form for this many people").click()
    first, second = page.get_by_role("group", name="Attendee 1"), page.get_by_role("group", name="Attendee 2")
    await first.get_by_label("Full name").fill("Ada Lovelace")
    await second.get_by_label("Full name").fill("Grace Hopper")
    await second.get_by_role("group", name="Your role").get_by_label("Officer").check()

    await page.get_by_role("button", name="Add another attendee").click()
    await expect(page.get_by_role("group", name="Attendee 3")).to_be_visible()
    await expect(second.get_by_label("Full name")).to_have_value("Grace Hopper")
    await expect(second.get_by_role("group", name="Your role").get_by_label("Officer")).to_be_checked()
    await tab.check("register-group")

    await page.get_by_role("button", name="Remove attendee 1 (Ada Lovelace)").click()
    await expect(page.get_by_role("group", name="Attendee 3")).to_have_count(0)
    await expect(first.get_by_label("Full name")).to_have_value("Grace Hopper")  # moved up, answers with her
    await expect(first.get_by_role("group", name="Your role").get_by_label("Officer")).to_be_checked()
