"""Signing in through the pages in a real browser, as people do: a member by the link emailed to
them (read out of the test SMTP server), a staff member with their email address and password on
membership's staff sign-in page (every service's operator pages send them there and back)."""

import asyncio
import time
from email.message import EmailMessage

from playwright.async_api import Page, expect

from tests.support.smtp import SmtpServer
from tests.support.staff import OWNER_EMAIL, OWNER_PASSWORD


def _sign_in_links(messages: list[EmailMessage]) -> list[str]:
    links = []
    for message in messages:
        body = message.get_body(("plain",)) if message["Subject"].startswith("Your sign-in link") else None
        if body is not None:
            links += [word for word in body.get_content().split() if "/membership/sign-in/" in word]
    return links


async def emailed_sign_in_link(smtp_server: SmtpServer, email: str, already: int = 0, seconds: float = 30) -> str:
    """The newest sign-in link sent to `email` once more than `already` of them have arrived."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        links = _sign_in_links(smtp_server.mailbox.to(email))
        if len(links) > already:
            return links[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no sign-in link for {email} within {seconds}s")


async def sign_in_as_member(page: Page, membership_url: str, smtp_server: SmtpServer, email: str) -> None:
    """Asks for a link on the sign-in page, opens it from the email and presses Sign in."""
    already = len(_sign_in_links(smtp_server.mailbox.to(email)))
    await page.goto(f"{membership_url}/membership/sign-in")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    await page.goto(await emailed_sign_in_link(smtp_server, email, already))
    await page.get_by_role("button", name="Sign in").click()


async def sign_in_as_operator(page: Page, url: str, email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD) -> None:
    """Opens `url`, an operator page, which sends the visitor to the staff sign-in and back (the
    tests' owner unless another staff member's email and password are given)."""
    await page.goto(url)
    await fill_staff_sign_in(page, email, password)


async def fill_staff_sign_in(page: Page, email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
