"""After registering: cancel under the refund policy (C8), the waitlist (C7), check-in and QR
(C10), reports (C12); attendees reach their registration only through the signed link."""

import base64
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from conference.adapters.capacity import available
from conference.service_layer.payments import release_expired_holds
from conference.service_layer.waitlist import expire_offers

from .conftest import OPERATOR, Conference, published


async def confirmed(conference: Conference, conference_id: str, ticket: str, price: int = 45000) -> dict[str, Any]:
    """A paid, confirmed registration; returns its confirmation event's payload."""
    response = await conference.register(conference_id, [ticket])
    assert response.status_code == 201, response.text
    registration_id = str(response.json()["registration_id"])
    if response.json()["status"] == "held":
        await conference.pay(registration_id, price)
    [event] = await published("conference.registration_confirmed", registration_id=registration_id)
    return event.payload


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


async def test_cancelling_before_the_full_refund_date_refunds_everything_once(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=3)
    payload = await confirmed(conference, conference_id, ticket)
    registration_id, token = payload["registration_id"], token_of(payload["manage_url"])

    view = await conference.client.get(f"/registrations/{registration_id}", params={"token": token})
    assert view.json()["refund_if_cancelled_now"] == 45000
    cancelled = await conference.client.post(f"/registrations/{registration_id}/cancel", params={"token": token})
    assert cancelled.json() == {"refund_minor": 45000}
    again = await conference.client.post(f"/registrations/{registration_id}/cancel", params={"token": token})
    assert again.status_code == 422  # cancelled already, and the refund is paid
    assert len(await published("conference.refund_issued", registration_id=registration_id)) == 1
    assert (await published("conference.registration_cancelled", registration_id=registration_id))[0].payload[
        "refund_minor"
    ] == 45000
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 3  # the seat is back


async def test_the_policy_gives_half_in_the_partial_window_and_nothing_after(conference: Conference) -> None:
    now = datetime.now(UTC)
    partial_id = await conference.conference(
        full_refund_until=(now - timedelta(days=1)).isoformat(),
        partial_refund_until=(now + timedelta(days=1)).isoformat(),
    )
    none_id = await conference.conference(
        full_refund_until=(now - timedelta(days=2)).isoformat(),
        partial_refund_until=(now - timedelta(days=1)).isoformat(),
    )
    for conference_id, expected in [(partial_id, 22500), (none_id, 0)]:
        payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
        cancelled = await conference.client.post(
            f"/registrations/{payload['registration_id']}/cancel", params={"token": token_of(payload["manage_url"])}
        )
        assert cancelled.json() == {"refund_minor": expected}


async def test_a_registration_is_reachable_only_with_its_signed_link(conference: Conference) -> None:
    conference_id = await conference.conference()
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
    registration_id = payload["registration_id"]
    for token in ["", "0" * 32, token_of(payload["manage_url"])[:-1] + "x"]:
        response = await conference.client.get(f"/registrations/{registration_id}", params={"token": token})
        assert response.status_code in (404, 422)
        forged = await conference.client.post(f"/registrations/{registration_id}/cancel", params={"token": token})
        assert forged.status_code in (404, 422)
    assert await conference.status(registration_id) == "confirmed"


async def test_checking_in_works_once_says_when_and_can_be_undone(conference: Conference) -> None:
    conference_id = await conference.conference()
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
    code = payload["attendees"][0]["ticket_code"]
    first = await conference.client.post("/check-in", json={"ticket_code": code.lower()}, headers=OPERATOR)
    assert first.status_code == 200
    assert first.json()["name"] == "Pat Payer"
    second = await conference.client.post("/check-in", json={"ticket_code": code}, headers=OPERATOR)
    assert second.status_code == 409
    assert second.json()["detail"].startswith("already checked in at ")
    assert len(await published("conference.checked_in", registration_id=payload["registration_id"])) == 1
    assert (await conference.client.delete(f"/check-in/{code}", headers=OPERATOR)).status_code == 204
    assert (await conference.client.post("/check-in", json={"ticket_code": code}, headers=OPERATOR)).status_code == 200
    unknown = await conference.client.post("/check-in", json={"ticket_code": "NOSUCHCODE"}, headers=OPERATOR)
    assert unknown.status_code == 404


async def test_the_ticket_qr_is_a_png_for_the_attendee_only(conference: Conference) -> None:
    conference_id = await conference.conference()
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
    code, token = payload["attendees"][0]["ticket_code"], token_of(payload["manage_url"])
    qr = await conference.client.get(
        f"/registrations/{payload['registration_id']}/tickets/{code}.png", params={"token": token}
    )
    assert qr.status_code == 200
    assert qr.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_a_freed_seat_goes_to_the_waitlist_in_order_and_passes_on_when_unclaimed(
    conference: Conference,
) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=1)
    holder = await conference.register(conference_id, [ticket])
    assert (await conference.register(conference_id, [ticket])).status_code == 409
    early = await conference.client.post(
        f"/conferences/{conference_id}/waitlist",
        json={"ticket_type_id": ticket, "name": "First Waiting", "email": "first@example.org"},
    )
    assert early.status_code == 201, early.text
    await conference.client.post(
        f"/conferences/{conference_id}/waitlist",
        json={"ticket_type_id": ticket, "name": "Second Waiting", "email": "second@example.org"},
    )

    await release_expired_holds(conference.deps, datetime.now(UTC) + timedelta(minutes=16))
    assert await conference.status(str(holder.json()["registration_id"])) == "expired"
    [offer] = await published("conference.waitlist_offered", email="first@example.org")
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 0  # kept for the person offered, not for anyone

    await expire_offers(conference.deps, datetime.now(UTC) + timedelta(hours=25))
    assert len(await published("conference.waitlist_offer_expired", email="first@example.org")) == 1
    [second_offer] = await published("conference.waitlist_offered", email="second@example.org")
    stale = await conference.client.post(
        f"/waitlist/{offer.payload['entry_id']}/claim", params={"token": token_of(offer.payload["claim_url"])}
    )
    assert stale.status_code == 422

    claimed = await conference.client.post(
        f"/waitlist/{second_offer.payload['entry_id']}/claim",
        params={"token": token_of(second_offer.payload["claim_url"])},
    )
    assert claimed.status_code == 201, claimed.text
    assert claimed.json()["status"] == "held"
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 0
    assert await conference.pool.fetchval("SELECT count(*) FROM registrations WHERE status = 'held'") == 1


async def test_joining_the_waitlist_needs_a_sold_out_ticket_type(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=5)
    response = await conference.client.post(
        f"/conferences/{conference_id}/waitlist",
        json={"ticket_type_id": ticket, "name": "Early", "email": "early@example.org"},
    )
    assert response.status_code == 422
    assert "register instead" in response.json()["detail"][0]["msg"]


async def test_reports_show_sales_holds_revenue_and_waitlist_and_a_csv(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=2, name="Full conference")
    await confirmed(conference, conference_id, ticket)
    await conference.register(conference_id, [ticket])  # held
    await conference.client.post(
        f"/conferences/{conference_id}/waitlist", json={"ticket_type_id": ticket, "name": "W", "email": "w@example.org"}
    )
    [row] = (await conference.client.get(f"/conferences/{conference_id}/report", headers=OPERATOR)).json()
    assert {k: row[k] for k in ("name", "capacity", "sold", "held", "available", "revenue_minor", "waiting")} == {
        "name": "Full conference",
        "capacity": 2,
        "sold": 1,
        "held": 1,
        "available": 0,
        "revenue_minor": 45000,
        "waiting": 1,
    }
    exported = await conference.client.get(f"/conferences/{conference_id}/registrations.csv", headers=OPERATOR)
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sorted(r["status"] for r in rows) == ["confirmed", "held"]


async def test_after_the_conference_checked_in_attendees_get_one_certificate_each(conference: Conference) -> None:
    today = datetime.now(UTC).date()
    started, finished = today - timedelta(days=3), today - timedelta(days=1)
    ended = await conference.conference(starts_on=str(started), ends_on=str(finished), certificate_hours=14.5)
    ticket = await conference.ticket_type(ended)
    present = await confirmed(conference, ended, ticket)
    await confirmed(conference, ended, ticket)  # registered, never came
    code = present["attendees"][0]["ticket_code"]
    await conference.client.post("/check-in", json={"ticket_code": code}, headers=OPERATOR)

    issued = await conference.client.post(f"/conferences/{ended}/certificates", headers=OPERATOR)
    assert issued.json() == {"issued": 1}
    again = await conference.client.post(f"/conferences/{ended}/certificates", headers=OPERATOR)
    assert again.json() == {"issued": 0}
    [event] = await published("conference.certificate_issued", registration_id=present["registration_id"])
    assert event.payload["hours"] == 14.5
    assert base64.b64decode(event.payload["certificate_pdf_base64"]).startswith(b"%PDF")
    url = event.payload["certificate_url"]
    document = await conference.client.get(urlsplit(url).path, params={"token": token_of(url)})
    assert document.status_code == 200
    assert document.content.startswith(b"%PDF")
    forged = await conference.client.get(urlsplit(url).path, params={"token": "0" * 32})
    assert forged.status_code == 404


async def test_certificates_wait_for_the_end_of_the_conference(conference: Conference) -> None:
    upcoming = await conference.conference()
    response = await conference.client.post(f"/conferences/{upcoming}/certificates", headers=OPERATOR)
    assert response.status_code == 422
    assert "after the conference" in response.json()["detail"][0]["msg"]
