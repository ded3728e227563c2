"""An operator works through the membership operator pages in a real browser: the dashboard's
charts carry the real numbers (checked against what this test creates), an offline payment is
recorded through its form, a member is found and the list downloaded as CSV, and a level is
created through its form after a mistake shown beside the field."""

import csv
import io
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
from playwright.async_api import Page, expect

from membership.domain.calendar import add_months
from tests.support.browser import PageCheck, downloaded
from tests.support.services import OPERATOR, Stack
from tests.support.signing_in import sign_in_as_operator


async def chart(page: Page, chart_id: str) -> dict[str, str]:
    """What a chart's SVG prints: each bar's label and the value written beside it."""
    pairs: list[list[str]] = await page.evaluate(
        """(id) => {
            const svg = document.querySelector(`figure[aria-labelledby="${id}-caption"] svg.chart-svg`);
            const labels = [...svg.querySelectorAll("text.chart-label")].map(t => t.textContent);
            const values = [...svg.querySelectorAll("text.chart-value")].map(t => t.textContent);
            return labels.map((label, i) => [label, values[i]]);
        }""",
        chart_id,
    )
    return dict((label, value) for label, value in pairs)


def plus(numbers: dict[str, str], label: str, more: int) -> str:
    return str(int(numbers.get(label, "0").replace(",", "")) + more)


async def api(stack: Stack, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        answer = await client.post(path, json=body)
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def test_an_operator_reads_the_dashboard_finds_a_member_and_keeps_the_levels(
    stack: Stack, tab: PageCheck
) -> None:
    page, base = tab.page, stack.membership.url
    run = uuid4().hex[:6]
    # Dues in a currency of this test's own, so that chart holds exactly what the test paid.
    currency = f"q{run[:2]}".translate(str.maketrans("0123456789", "abcdefghij"))
    quiz = await api(
        stack, "/levels", {"name": f"Quiz {run}", "price_minor": 12000, "currency": currency, "term": "annual"}
    )
    usd = await api(
        stack, "/levels", {"name": f"Plain {run}", "price_minor": 7500, "currency": "usd", "term": "annual"}
    )

    await sign_in_as_operator(page, f"{base}/membership/operator")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Members at a glance")
    by_status, new_members = await chart(page, "members-by-status"), await chart(page, "new-members")
    this_month = list(new_members)[-1]
    assert this_month == f"{datetime.now(UTC):%b %Y}"  # the test stack counts months in UTC

    # One member pays by cheque through the form; one paid by transfer about a year ago,
    # so is due to renew now; one applies and does not pay.
    menu = page.get_by_role("navigation", name="Members administration")
    await menu.get_by_role("link", name="Record a payment").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Record a payment")
    await tab.check("record-a-payment")
    await page.get_by_label("Member's full name").fill(f"Nell Cheque {run}")
    await page.get_by_label("Member's email address").fill(f"nell-{run}@example.org")
    await page.get_by_label("Level").select_option(label=f"Quiz {run}: 120.00 {currency.upper()} a year")
    await page.get_by_label("Amount received").fill("80.00")
    await page.get_by_label("Cheque").check()
    await page.get_by_label("Reference").fill(f"CHQ-{run}")
    await page.get_by_role("button", name="Record the payment").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Nell Cheque {run}")
    await expect(page.get_by_role("status")).to_contain_text("The payment is recorded")
    await tab.check("member-detail")

    # Rene's year ends halfway between now and the end of this month: due this month, whatever the day.
    now = datetime.now(UTC)
    next_month = add_months(now.replace(day=1, hour=0, minute=0, second=0, microsecond=0), 1)
    a_year_ago = add_months(now + (next_month - now) / 2, -12)
    await api(
        stack,
        "/offline-payments",
        {
            "name": f"Rene Renewal {run}",
            "email": f"rene-{run}@example.org",
            "level_id": quiz["id"],
            "amount_minor": 12000,
            "currency": currency,
            "method": "bank_transfer",
            "reference": f"TRF-{run}",
            "paid_at": a_year_ago.isoformat(),
        },
    )
    async with httpx.AsyncClient(base_url=base) as client:
        una = {"name": f"Una Unpaid {run}", "email": f"una-{run}@example.org", "level_id": usd["id"]}
        applied = await client.post("/memberships", json=una)
        assert applied.status_code == 201, applied.text

    await menu.get_by_role("link", name="Dashboard").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Members at a glance")
    assert (await chart(page, "members-by-status"))["Active"] == plus(by_status, "Active", 2)
    assert (await chart(page, "members-by-status"))["Waiting for payment"] == plus(by_status, "Waiting for payment", 1)
    assert (await chart(page, "new-members"))[this_month] == plus(new_members, this_month, 1)  # Rene joined a year ago
    dues = await chart(page, f"dues-{currency}")
    assert dues[this_month] == f"80.00 {currency.upper()}"
    assert sum(v != f"0.00 {currency.upper()}" for v in dues.values()) == 1  # a year ago is not in the 12 months
    await expect(page.get_by_role("region", name="Renewals due in")).to_contain_text(f"Rene Renewal {run}")
    await tab.check("dashboard")

    await menu.get_by_role("link", name="Members", exact=True).click()
    await page.get_by_label("Name, email or organization").fill(run)
    await page.get_by_label("Status").select_option(label="Active")
    await page.get_by_role("button", name="Search").click()
    results = page.get_by_role("region", name="Members found")
    await expect(results.get_by_role("row")).to_have_count(3)  # the header, Nell and Rene
    await expect(results).to_contain_text(f"Nell Cheque {run}")
    await expect(results).not_to_contain_text(f"Una Unpaid {run}")
    await tab.check("member-search")
    exported = await downloaded(tab, page.get_by_role("link", name="Download this list as CSV"))
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert sorted(row["email"] for row in rows) == [f"nell-{run}@example.org", f"rene-{run}@example.org"]
    await results.get_by_role("link", name=f"Rene Renewal {run}").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Rene Renewal {run}")

    await menu.get_by_role("link", name="Levels").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Membership levels")
    await tab.check("levels")
    await page.get_by_role("link", name="Create a level").click()
    await page.get_by_label("Name").fill(f"Student {run}")
    await page.get_by_label("Price").fill("twenty")
    await page.get_by_label("Currency").fill("CAD")
    await page.get_by_label("A year").check()
    await page.get_by_role("button", name="Create the level").click()
    await expect(page.locator("#f-price-error")).to_contain_text("Enter the price as an amount")
    await expect(page.get_by_label("Price")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Name")).to_have_value(f"Student {run}")
    await tab.check("level-form-with-a-mistake")
    await page.get_by_label("Price").fill("20.00")
    await page.get_by_role("button", name="Create the level").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Membership levels")
    student = page.get_by_role("row", name=f"Student {run}")
    await expect(student).to_contain_text("20.00 CAD a year")
    await student.get_by_role("link", name="Edit").click()
    await expect(page.get_by_label("Price in CAD")).to_have_value("20.00")
    await tab.check("level-edit")
    await page.get_by_label("Price in CAD").fill("25")
    await page.get_by_role("button", name="Save the level").click()
    await expect(student).to_contain_text("25.00 CAD a year")
    await student.get_by_role("button", name="Retire").click()
    await expect(student).to_contain_text("No, retired")
