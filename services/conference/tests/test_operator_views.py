"""What operators see at the HTTP level: the dashboard's charts with real numbers, registrations
found by a word or a status with the CSV, one registration in full, and the check-in screen."""

import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from .conftest import Conference
from .operator_pages import checked_in_at, csrf_of, paid_registration, sign_in_as, token_for


async def test_the_dashboard_charts_revenue_seats_the_waitlist_and_registrations_per_day(
    conference: Conference,
) -> None:
    conference_id = await conference.conference(name="CIT Dashboard")
    full = await conference.ticket_type(conference_id, name="Full conference", capacity=10)
    workshop = await conference.ticket_type(conference_id, name="Workshop", capacity=1, non_member_price_minor=5000)
    await paid_registration(conference, conference_id, full)
    await paid_registration(conference, conference_id, full, name="Alan Turing")
    await paid_registration(conference, conference_id, workshop, price=5000)
    held = await conference.register(conference_id, [full])
    assert held.status_code == 201
    waiting = await conference.client.post(
        f"/conferences/{conference_id}/waitlist",
        json={"ticket_type_id": workshop, "name": "Wendy Wait", "email": "wendy@example.org"},
    )
    assert waiting.status_code == 201, waiting.text

    sign_in_as(conference, "operator")
    page = await conference.client.get(f"/events/operator/{conference_id}")
    assert page.status_code == 200
    html = page.text
    for title in (
        "Revenue by month",
        "Revenue by ticket type",
        "Seats per ticket type",
        "Waitlist per ticket type",
        "Registrations per day",
    ):
        assert re.search(rf'<figcaption class="chart-caption" id="[a-z-]+-caption">{title}</figcaption>', html)
    assert "950.00 USD" in html  # 2 x 450.00 + 50.00, the total and this month's bar
    assert re.search(r"Full conference: Sold 2, Held while paying 1, Kept for the waitlist 0, Free 7", html)
    assert re.search(r"Workshop: Sold 1, Held while paying 0, Kept for the waitlist 0, Free 0", html)
    assert re.search(r"Workshop: Waiting 1, Offered a seat 0", html)
    assert re.search(r": Confirmed 3, Waiting for payment 1, Expired or cancelled 0", html)
    assert re.search(r'<p class="figure">0 of 3</p>', html)  # checked in, of the confirmed attendees


async def test_registrations_are_found_by_name_and_status_and_shown_in_full(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, name="Full conference")
    grace, code = await paid_registration(conference, conference_id, ticket)
    await paid_registration(conference, conference_id, ticket, name="Alan Turing")
    assert (await conference.register(conference_id, [ticket])).status_code == 201  # still held

    sign_in_as(conference, "operator")
    path = f"/events/operator/{conference_id}/registrations"
    everyone = (await conference.client.get(path)).text
    assert "3 registrations" in everyone
    found = (await conference.client.get(path, params={"search": "grace"})).text
    assert "1 registration found" in found
    assert "Grace Hopper" in found
    assert "Alan Turing" not in found
    by_code = (await conference.client.get(path, params={"search": code.lower()})).text
    assert "Grace Hopper" in by_code
    held = (await conference.client.get(path, params={"status": "held"})).text
    assert "1 registration found" in held
    assert "Pat Payer" in held
    nothing = (await conference.client.get(path, params={"search": "100%_"})).text
    assert "No registration matches" in nothing

    csv = await conference.client.get(f"{path}.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "Grace Hopper" in csv.text
    assert code in csv.text

    detail = await conference.client.get(f"/events/operator/registrations/{grace}")
    assert detail.status_code == 200
    assert "Registration of Grace Hopper" in detail.text
    assert "Full conference: 450.00 USD" in detail.text
    assert code in detail.text
    assert re.search(r"<dt>Stripe payment</dt><dd>pi_test_", detail.text)


async def test_the_check_in_screen_checks_in_once_says_when_and_undoes(conference: Conference) -> None:
    conference_id = await conference.conference(time_zone="Europe/Paris")
    ticket = await conference.ticket_type(conference_id, name="Full conference")
    _, code = await paid_registration(conference, conference_id, ticket)
    sign_in_as(conference, "operator")
    token = await token_for(conference, "/events/operator/check-in")

    async def scan(typed: str) -> str:
        answer = await conference.client.post(
            "/events/operator/check-in", data={"csrf_token": token, "ticket_code": typed}
        )
        assert answer.status_code == 303
        assert parse_qs(urlsplit(answer.headers["location"]).query)["code"]
        screen = await conference.client.get(answer.headers["location"])
        assert screen.status_code == 200
        return screen.text

    first = await scan(f" {code.lower()[:5]}-{code.lower()[5:]} ")  # typed by hand: spaces, a dash, lower case
    assert "Checked in: Grace Hopper, Full conference" in first
    assert 'class="scan-result scan-ok"' in first
    assert "autofocus" in first
    at = await checked_in_at(conference, code)
    assert at is not None

    second = await scan(code)
    assert 'class="scan-result scan-warn"' in second
    local = at.astimezone(ZoneInfo("Europe/Paris"))
    assert f"Already checked in at {local:%H:%M}" in second
    assert "Europe/Paris time" in second

    unknown = await scan("NOPE00NOPE")
    assert "Unknown ticket" in unknown
    assert 'class="scan-result scan-bad"' in unknown

    screen = await conference.client.get("/events/operator/check-in", params={"code": code, "outcome": "again"})
    assert "Undo the check-in of Grace Hopper" in screen.text
    undo = {"csrf_token": csrf_of(screen), "ticket_code": code}
    undone = await conference.client.post("/events/operator/check-in/undo", data=undo)
    assert undone.status_code == 303
    assert "Check-in undone: Grace Hopper" in (await conference.client.get(undone.headers["location"])).text
    assert await checked_in_at(conference, code) is None

    empty = await conference.client.post("/events/operator/check-in", data={"csrf_token": token, "ticket_code": " "})
    assert empty.status_code == 400
    assert re.search(r'id="f-ticket_code-error">.*Type or scan a ticket code', empty.text)
