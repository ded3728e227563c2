"""The pages' foundation in a real browser: on each service, an operator page sends a visitor to
the staff sign-in (membership's, where the staff live), a wrong password is refused beside the
field, the right one opens the page it came from, and signing out ends the session for every
service."""

import pytest
from playwright.async_api import expect

from tests.support.browser import PageCheck
from tests.support.services import Stack
from tests.support.signing_in import fill_staff_sign_in
from tests.support.staff import OWNER_EMAIL


# Each service's operator home: the page it lands on after signing in.
@pytest.mark.parametrize(
    ("service", "prefix", "home", "heading"),
    [
        ("membership", "/membership", "/membership/operator", "Members at a glance"),
        ("conference", "/events", "/events/operator", "Conferences"),
        ("notifications", "/mail", "/mail/operator/deliveries", "Email delivery log"),
    ],
)
async def test_an_operator_signs_in_on_each_services_pages_and_signs_out(
    stack: Stack, tab: PageCheck, service: str, prefix: str, home: str, heading: str
) -> None:
    page, base = tab.page, getattr(stack, service).url
    await page.goto(f"{base}{prefix}/operator")
    assert page.url.startswith(f"{stack.membership.url}/membership/operator/sign-in?next=")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    await tab.check("sign-in")

    await fill_staff_sign_in(page, password="not-the-password-0123")
    await expect(page.locator("#f-password-error")).to_contain_text("do not match a staff account")
    await expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Email address")).to_have_value(OWNER_EMAIL)
    await tab.check("sign-in-refused")

    await fill_staff_sign_in(page)
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.url == f"{base}{home}"
    await tab.check("operator-home")

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")
    await page.goto(f"{base}{prefix}/operator")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
