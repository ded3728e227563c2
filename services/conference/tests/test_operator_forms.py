"""The operators' conference forms at the HTTP level: a conference, a ticket type, a discount code
and a comp made through them; invalid input back with 400, the message beside its field, the
input kept and nothing written; CSRF; and who may open the operator pages at all."""

import re
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from convene_web.csrf import CSRF_COOKIE

from .conftest import Conference
from .operator_pages import checked_in_at, count, csrf_of, paid_registration, sign_in_as, token_for

CONFERENCE_FORM = {
    "name": "CIT Annual Conference 2027",
    "venue": "Chicago",
    "time_zone": "America/Chicago",
    "starts_on": "2027-08-16",
    "ends_on": "2027-08-19",
    "registration_opens_at": "2026-01-01T09:00",
    "registration_closes_at": "2027-08-01T17:00",
    "currency": "usd",
    "capacity": "",
    "hold_minutes": "15",
    "full_refund_until": "",
    "partial_refund_until": "",
    "partial_refund_percent": "",
    "certificate_hours": "6.5",
}


async def test_an_operator_creates_a_conference_as_a_draft_in_its_own_time_zone(conference: Conference) -> None:
    sign_in_as(conference, "operator")
    token = await token_for(conference, "/events/operator/new")
    created = await conference.client.post("/events/operator/new", data=CONFERENCE_FORM | {"csrf_token": token})
    assert created.status_code == 303
    conference_id = UUID(created.headers["location"].rsplit("/", 1)[1])
    row = await conference.pool.fetchrow("SELECT * FROM conferences WHERE id = $1", conference_id)
    assert row is not None
    assert row["status"] == "draft"
    assert row["currency"] == "usd"
    assert row["registration_opens_at"] == datetime(2026, 1, 1, 15, 0, tzinfo=UTC)  # 09:00 in Chicago, winter
    assert float(row["certificate_hours"]) == 6.5

    edit = await conference.client.get(f"/events/operator/{conference_id}/edit")
    assert 'value="2026-01-01T09:00"' in edit.text  # shown again as it was typed
    changed = await conference.client.post(
        f"/events/operator/{conference_id}/edit",
        data=CONFERENCE_FORM | {"csrf_token": csrf_of(edit), "name": "CIT 2027", "venue": "Chicago, Navy Pier"},
    )
    assert changed.status_code == 303
    assert await conference.pool.fetchval("SELECT venue FROM conferences WHERE id = $1", conference_id) == (
        "Chicago, Navy Pier"
    )
    opened = await conference.client.post(
        f"/events/operator/{conference_id}/status", data={"csrf_token": token, "status": "open"}
    )
    assert opened.status_code == 303
    assert await conference.pool.fetchval("SELECT status FROM conferences WHERE id = $1", conference_id) == "open"


async def test_an_invalid_conference_comes_back_with_messages_beside_the_fields_and_nothing_written(
    conference: Conference,
) -> None:
    sign_in_as(conference, "operator")
    token = await token_for(conference, "/events/operator/new")
    before = await count(conference, "conferences")
    answer = await conference.client.post(
        "/events/operator/new",
        data=CONFERENCE_FORM
        | {
            "csrf_token": token,
            "name": "CIT <2027>",
            "time_zone": "Chicago",
            "ends_on": "2027-08-01",
            "currency": "dollars",
        },
    )
    assert answer.status_code == 400
    html = answer.text
    assert 'id="f-time_zone-error"' in html
    assert "Enter a time zone by its full name" in html
    assert "Enter a three-letter currency code" in html
    assert 'value="CIT &lt;2027&gt;"' in html  # kept, and escaped
    assert await count(conference, "conferences") == before

    # Fields that are fine alone but not together: named beside the field they concern.
    answer = await conference.client.post(
        "/events/operator/new",
        data=CONFERENCE_FORM
        | {"csrf_token": token, "ends_on": "2027-08-01", "registration_closes_at": "2025-12-31T09:00"},
    )
    assert answer.status_code == 400
    assert re.search(r'id="f-ends_on-error">.*The last day cannot be before the first day', answer.text)
    assert re.search(r'id="f-registration_closes_at-error">.*Registration must close after it opens', answer.text)
    assert await count(conference, "conferences") == before


async def test_a_ticket_type_form_turns_prices_into_minor_units_and_refuses_what_does_not_fit(
    conference: Conference,
) -> None:
    conference_id = await conference.conference()
    sign_in_as(conference, "operator")
    path = f"/events/operator/{conference_id}/ticket-types/new"
    token = await token_for(conference, path)
    good = {
        "csrf_token": token,
        "name": "Full conference",
        "kind": "main",
        "capacity": "120",
        "member_price": "300",
        "non_member_price": "450.50",
        "early_member_price": "",
        "early_non_member_price": "",
        "early_bird_until": "",
    }
    refused = await conference.client.post(
        path, data=good | {"capacity": "", "member_price": "3.005", "early_member_price": "250"}
    )
    assert refused.status_code == 400
    assert re.search(r'id="f-capacity-error">.*Enter the number of seats', refused.text)
    assert 'id="f-member_price-error"' in refused.text
    assert 'value="450.50"' in refused.text
    assert await count(conference, "ticket_types") == 0

    early_without_end = await conference.client.post(path, data=good | {"early_member_price": "250"})
    assert early_without_end.status_code == 400
    assert re.search(r'id="f-early_bird_until-error">.*Enter when the early-bird prices end', early_without_end.text)
    assert await count(conference, "ticket_types") == 0

    added = await conference.client.post(path, data=good)
    assert added.status_code == 303
    row = await conference.pool.fetchrow("SELECT * FROM ticket_types WHERE name = 'Full conference'")
    assert row is not None
    assert (row["capacity"], row["member_price_minor"], row["non_member_price_minor"]) == (120, 30000, 45050)
    listed = await conference.client.get(f"/events/operator/{conference_id}/tickets")
    assert "450.50 USD" in listed.text

    taken = await conference.client.post(path, data=good)
    assert taken.status_code == 400
    assert re.search(r'id="f-name-error">.*This conference has a ticket type of this name already', taken.text)
    assert await count(conference, "ticket_types") == 1


async def test_a_discount_code_is_a_percent_or_an_amount_and_unique_in_its_conference(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    sign_in_as(conference, "operator")
    path = f"/events/operator/{conference_id}/discount-codes/new"
    token = await token_for(conference, path)
    good = {
        "csrf_token": token,
        "code": "speaker27",
        "percent_off": "",
        "amount_off": "50",
        "max_uses": "10",
        "valid_from": "",
        "valid_until": "",
        "ticket_types": ticket,
    }
    both = await conference.client.post(path, data=good | {"percent_off": "20"})
    assert both.status_code == 400
    assert re.search(r'id="f-percent_off-error">.*Give either a percent off or an amount off', both.text)
    assert re.search(rf'value="{ticket}" checked', both.text)  # the chosen ticket type stays chosen
    assert await count(conference, "discount_codes") == 0

    assert (await conference.client.post(path, data=good)).status_code == 303
    row = await conference.pool.fetchrow("SELECT * FROM discount_codes")
    assert row is not None
    assert (row["code"], row["amount_off_minor"], row["ticket_type_ids"]) == ("SPEAKER27", 5000, [UUID(ticket)])
    again = await conference.client.post(path, data=good)
    assert again.status_code == 400
    assert 'id="f-code-error"' in again.text
    assert await count(conference, "discount_codes") == 1


async def test_a_comp_is_a_confirmed_registration_at_no_price(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    sign_in_as(conference, "operator")
    path = f"/events/operator/{conference_id}/comps/new"
    token = await token_for(conference, path)
    refused = await conference.client.post(path, data={"csrf_token": token, "name": "Ada", "email": "ada"})
    assert refused.status_code == 400
    assert 'id="f-email-error"' in refused.text
    assert 'id="f-ticket_type-error"' in refused.text
    assert await count(conference, "registrations") == 0

    issued = await conference.client.post(
        path, data={"csrf_token": token, "name": "Ada Speaker", "email": "ada@example.org", "ticket_type": ticket}
    )
    assert issued.status_code == 303
    detail = await conference.client.get(issued.headers["location"])
    assert "Ada Speaker" in detail.text
    assert "Confirmed" in detail.text
    assert "0.00 USD (free or complimentary)" in detail.text


async def test_form_posts_without_the_csrf_pair_are_refused_and_write_nothing(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    _, code = await paid_registration(conference, conference_id, ticket)
    sign_in_as(conference, "operator")
    await token_for(conference, "/events/operator/new")
    before = await count(conference, "conferences")
    posts = [
        ("/events/operator/new", CONFERENCE_FORM),
        ("/events/operator/check-in", {"ticket_code": code}),
        (f"/events/operator/{conference_id}/status", {"status": "closed"}),
    ]
    for path, body in posts:
        without = await conference.client.post(path, data=body)
        forged = await conference.client.post(path, data=body | {"csrf_token": "f" * 64})
        assert (without.status_code, forged.status_code) == (403, 403), path
        assert "Nothing was saved" in without.text
    conference.client.cookies.delete(CSRF_COOKIE)
    no_cookie = await conference.client.post("/events/operator/new", data=CONFERENCE_FORM | {"csrf_token": "f" * 64})
    assert no_cookie.status_code == 403
    assert await count(conference, "conferences") == before
    assert await checked_in_at(conference, code) is None
    assert await conference.pool.fetchval("SELECT status FROM conferences WHERE id = $1", UUID(conference_id)) == "open"


def operator_pages(conference_id: str, registration_id: str) -> list[str]:
    """One address of each family of the conference's operator pages."""
    c = f"/events/operator/{conference_id}"
    return [
        "/events/operator",
        "/events/operator/new",
        c,
        f"{c}/edit",
        f"{c}/registrations",
        f"{c}/registrations.csv",
        f"/events/operator/registrations/{registration_id}",
        f"{c}/tickets",
        f"{c}/ticket-types/new",
        f"{c}/discount-codes/new",
        f"{c}/comps/new",
        "/events/operator/check-in",
    ]


@pytest.mark.parametrize("kind", ["member", "nobody"])
async def test_only_an_operator_opens_the_operator_pages(conference: Conference, kind: str) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    registration_id, code = await paid_registration(conference, conference_id, ticket)
    if kind == "member":
        sign_in_as(conference, "member")
    for path in operator_pages(conference_id, registration_id):
        answer = await conference.client.get(path)
        if kind == "member":
            assert answer.status_code == 403, path
            assert "Operators only" in answer.text
        else:
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/events/operator/sign-in?next=%2Fevents%2Foperator")
    # A form's token from a page anyone may open (staff now sign in on membership's page).
    token = csrf_of(await conference.client.get(f"/events/{conference_id}/register"))
    scan = await conference.client.post("/events/operator/check-in", data={"csrf_token": token, "ticket_code": code})
    assert scan.status_code == (403 if kind == "member" else 303)
    assert await checked_in_at(conference, code) is None


async def test_an_unknown_conference_or_registration_is_a_404_page(conference: Conference) -> None:
    sign_in_as(conference, "operator")
    for path in (
        f"/events/operator/{uuid4()}",
        f"/events/operator/{uuid4()}/registrations",
        f"/events/operator/registrations/{uuid4()}",
    ):
        answer = await conference.client.get(path)
        assert answer.status_code == 404, path
        assert "Page not found" in answer.text
