"""Fair holds (issue 15, item 4; reliability properties 19 and 27): a registration holds at most
the conference's `max_tickets_per_registration`, and one client address or one email holds at most
so many unpaid seats at once, counted from the holds in the database."""

import re
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from conference.adapters.capacity import available

from .conftest import OPERATOR, Conference, running
from .operator_pages import count, sign_in_as, token_for
from .test_operator_forms import CONFERENCE_FORM


def _client_from(conference: Conference, address: str) -> httpx.AsyncClient:
    """Another person's browser: the same service, seen from another client address."""
    transport = conference.client._transport  # the ASGI app the fixture started
    assert isinstance(transport, httpx.ASGITransport)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=transport.app, client=(address, 50000)), base_url="http://conference"
    )


@pytest.fixture
async def conference(database: str) -> AsyncIterator[Conference]:
    """The service with the documented defaults of the fair-hold caps."""
    async with running(database, unpaid_seats_per_client=30, unpaid_seats_per_email=10) as service:
        yield service


def _group(ticket: str, size: int, payer: str | None = None) -> dict[str, Any]:
    payer = payer or f"p-{uuid4().hex[:8]}@example.org"
    return {
        "payer_name": "Hoarder",
        "payer_email": payer,
        "attendees": [
            {"name": f"Guest {n}", "email": f"g{n}-{uuid4().hex[:6]}@example.org", "ticket_type_ids": [ticket]}
            for n in range(size)
        ],
    }


async def test_ten_requests_no_longer_hold_a_500_seat_conference_and_real_buyers_keep_buying(
    conference: Conference,
) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=500)
    path = f"/conferences/{conference_id}/registrations"
    # The hoarder: ten requests of 50 seats, then ten of 10 seats under ten different addresses.
    large = [await conference.client.post(path, json=_group(ticket, 50)) for _ in range(10)]
    small = [await conference.client.post(path, json=_group(ticket, 10)) for _ in range(10)]
    assert {r.status_code for r in large} == {422}
    assert large[0].json()["detail"][0]["loc"] == ["body", "attendees"]
    refused = [r for r in small if r.status_code != 201]
    assert {r.status_code for r in refused} == {429}
    assert "unpaid seats" in refused[0].json()["detail"]
    held = await conference.pool.fetchval(
        "SELECT count(*) FROM attendees a JOIN registrations r ON r.id = a.registration_id"
        " WHERE r.conference_id = $1 AND r.status = 'held'",
        UUID(conference_id),
    )
    assert held == conference.deps.settings.unpaid_seats_per_client
    # Real buyers, each from their own address, still get a hold, and most seats stay free.
    for n in range(3):
        async with _client_from(conference, f"127.0.1.{n + 1}") as buyer:
            bought = await buyer.post(path, json=_group(ticket, 2))
            assert bought.status_code == 201, bought.text
            assert bought.json()["status"] == "held"
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) >= 500 - held - 6 >= 450


async def test_one_email_holds_at_most_its_share_of_unpaid_seats_from_any_address(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=500)
    path = f"/conferences/{conference_id}/registrations"
    cap = conference.deps.settings.unpaid_seats_per_email
    answers = []
    for n in range(cap + 1):
        async with _client_from(conference, f"127.0.2.{n + 1}") as somewhere:
            answers.append(await somewhere.post(path, json=_group(ticket, 1, payer="same@example.org")))
    assert [a.status_code for a in answers] == [201] * cap + [429]
    assert "same@example.org" in answers[-1].json()["detail"]


async def test_a_paid_registration_no_longer_counts_as_unpaid(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=500)
    path = f"/conferences/{conference_id}/registrations"
    cap = conference.deps.settings.unpaid_seats_per_email
    first = await conference.client.post(path, json=_group(ticket, cap, payer="payer@example.org"))
    assert first.status_code == 201, first.text
    assert (await conference.client.post(path, json=_group(ticket, 1, payer="payer@example.org"))).status_code == 429
    await conference.pay(str(first.json()["registration_id"]), first.json()["amount_minor"])
    again = await conference.client.post(path, json=_group(ticket, 1, payer="payer@example.org"))
    assert again.status_code == 201, again.text


async def test_the_operator_sets_the_maximum_tickets_per_registration(conference: Conference) -> None:
    conference_id = await conference.conference(max_tickets_per_registration=3)
    ticket = await conference.ticket_type(conference_id, capacity=100)
    path = f"/conferences/{conference_id}/registrations"
    assert (await conference.client.post(path, json=_group(ticket, 3))).status_code == 201
    four = await conference.client.post(path, json=_group(ticket, 4))
    assert four.status_code == 422
    assert four.json()["detail"][0]["loc"] == ["body", "attendees"]
    assert "at most 3" in four.json()["detail"][0]["msg"]
    page = await conference.client.get(f"/conferences/{conference_id}")
    assert page.json()["max_tickets_per_registration"] == 3


async def test_a_maximum_out_of_range_is_refused_naming_the_field(conference: Conference) -> None:
    for wrong in (0, 51, "ten"):
        answer = await conference.client.post(
            "/conferences",
            json={
                "name": "Out of range",
                "time_zone": "UTC",
                "starts_on": "2027-08-16",
                "ends_on": "2027-08-17",
                "registration_opens_at": "2026-01-01T00:00:00Z",
                "registration_closes_at": "2027-08-01T00:00:00Z",
                "currency": "usd",
                "max_tickets_per_registration": wrong,
            },
            headers=OPERATOR,
        )
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", "max_tickets_per_registration"]


async def test_the_conference_form_sets_the_maximum_and_refuses_one_out_of_range(conference: Conference) -> None:
    sign_in_as(conference, "operator")
    token = await token_for(conference, "/events/operator/new")
    before = await count(conference, "conferences")
    wrong = await conference.client.post(
        "/events/operator/new",
        data=CONFERENCE_FORM | {"csrf_token": token, "max_tickets_per_registration": "500"},
    )
    assert wrong.status_code == 400
    assert re.search(r'id="f-max_tickets_per_registration-error">.*from 1 to 50', wrong.text)
    assert await count(conference, "conferences") == before
    made = await conference.client.post(
        "/events/operator/new",
        data=CONFERENCE_FORM | {"csrf_token": token, "max_tickets_per_registration": "4"},
    )
    assert made.status_code == 303
    stored = await conference.pool.fetchval(
        "SELECT max_tickets_per_registration FROM conferences ORDER BY created_at DESC LIMIT 1"
    )
    assert stored == 4
