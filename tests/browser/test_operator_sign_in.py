"""The pages' foundation in a real browser: on each service, an operator page sends a visitor to
the operator sign-in, a wrong token is refused beside the field, the right one opens the page,
and signing out ends the session for every service."""

import pytest
from playwright.async_api import expect

from tests.support.browser import PageCheck
from tests.support.services import OPERATOR_TOKEN, Stack


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
    assert page.url.startswith(f"{base}{prefix}/operator/sign-in?next=")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Operator sign-in")
    await tab.check("sign-in")

    await page.get_by_label("Operator token").fill("not-the-token-0123")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.locator("#f-token-error")).to_contain_text("This operator token is not right")
    await expect(page.get_by_label("Operator token")).to_have_attribute("aria-invalid", "true")
    await tab.check("sign-in-refused")

    await page.get_by_label("Operator token").fill(OPERATOR_TOKEN)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.url == f"{base}{home}"
    await tab.check("operator-home")

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")
    await page.goto(f"{base}{prefix}/operator")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Operator sign-in")
