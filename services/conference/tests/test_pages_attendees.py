"""An attendee's pages at the HTTP level: the registration page from the emailed link (status,
tickets with QR), cancelling after seeing the refund, "my registrations" for a signed-in
member, and the waitlist offer's claim page."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

from conference.service_layer.payments import release_expired_holds

from .conftest import Conference, published
from .pages import counts, csrf_of, member, path_of


async def confirmed(
    conference: Conference, conference_id: str, ticket: str, email: str | None = None
) -> dict[str, Any]:
    response = await conference.register(conference_id, [ticket], email=email)
    assert response.status_code == 201, response.text
    registration_id = str(response.json()["registration_id"])
    await conference.pay(registration_id, response.json()["amount_minor"])
    [event] = await published("conference.registration_confirmed", registration_id=registration_id)
    return event.payload


async def test_the_emailed_link_opens_the_registration_page_with_each_tickets_qr(conference: Conference) -> None:
    conference_id = await conference.conference()
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
    link = payload["manage_url"]
    assert link.startswith(f"{conference.deps.settings.conference_pages_url}/events/registrations/")
    page = await conference.client.get(path_of(link))
    assert page.status_code == 200
    assert "You are registered" in page.text
    code = payload["attendees"][0]["ticket_code"]
    assert f'alt="QR code of ticket {code}"' in page.text
    assert re.search(r'<img class="qr" src="data:image/png;base64,[A-Za-z0-9+/=]+"', page.text)
    token = urlsplit(link).query.removeprefix("token=")
    api = await conference.client.get(f"/registrations/{payload['registration_id']}", params={"token": token})
    assert api.status_code == 200  # the JSON API keeps taking the same link


async def test_a_registration_page_opens_only_with_its_signed_link(conference: Conference) -> None:
    conference_id = await conference.conference()
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
    path = f"/events/registrations/{payload['registration_id']}"
    for query in ("", "?token=", "?token=" + "0" * 32):
        for page in ("", "/pay", "/cancel", "/status"):
            assert (await conference.client.get(f"{path}{page}{query}")).status_code == 404


async def test_cancelling_shows_the_refund_first_then_cancels_and_shows_it_again(conference: Conference) -> None:
    now = datetime.now(UTC)
    conference_id = await conference.conference(
        full_refund_until=(now - timedelta(days=1)).isoformat(),
        partial_refund_until=(now + timedelta(days=1)).isoformat(),
    )
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
    page_path = path_of(payload["manage_url"])
    asking = await conference.client.get(page_path.replace("?", "/cancel?"))
    assert asking.status_code == 200
    assert "Refund if you cancel now: 225.00 USD" in asking.text  # half, in the partial window
    assert await conference.status(payload["registration_id"]) == "confirmed"  # asking changes nothing

    token = page_path.split("token=")[1]
    done = await conference.client.post(
        f"/events/registrations/{payload['registration_id']}/cancel",
        data={"csrf_token": csrf_of(asking), "token": token},
    )
    assert done.status_code == 303
    assert await conference.status(payload["registration_id"]) == "cancelled"
    after = await conference.client.get(path_of(done.headers["location"]))
    assert "This registration is cancelled" in after.text
    assert "Refund: 225.00 USD" in after.text


async def test_a_cancel_without_the_csrf_pair_or_the_link_cancels_nothing(conference: Conference) -> None:
    conference_id = await conference.conference()
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id))
    asking = await conference.client.get(path_of(payload["manage_url"]).replace("?", "/cancel?"))
    token = payload["manage_url"].split("token=")[1]
    path = f"/events/registrations/{payload['registration_id']}/cancel"
    assert (await conference.client.post(path, data={"token": token})).status_code == 403
    wrong = await conference.client.post(path, data={"csrf_token": csrf_of(asking), "token": "0" * 32})
    assert wrong.status_code == 404
    assert await conference.status(payload["registration_id"]) == "confirmed"


async def test_my_registrations_lists_what_a_member_paid_for_or_attends(conference: Conference) -> None:
    sent = await conference.client.get("/events/my")
    assert sent.status_code == 303
    assert "/membership/sign-in?next=" in sent.headers["location"]

    conference_id = await conference.conference(name="CIT International 2027")
    email = await member(conference)
    payload = await confirmed(conference, conference_id, await conference.ticket_type(conference_id), email=email)
    await confirmed(conference, conference_id, await conference.ticket_type(conference_id))  # someone else's
    mine = await conference.client.get("/events/my")
    assert mine.status_code == 200
    assert "CIT International 2027" in mine.text
    assert mine.text.count("/events/registrations/") == 1
    assert (
        path_of(payload["manage_url"]).replace("&", "&amp;") in mine.text or path_of(payload["manage_url"]) in mine.text
    )


async def test_the_offer_link_shows_the_deadline_and_claims_the_seat_then_on_to_payment(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, name="Full conference", capacity=1)
    holder = await conference.register(conference_id, [ticket])
    waiting = f"first-{uuid4().hex[:8]}@example.org"  # the topic outlives each test: an address of its own
    await conference.client.post(
        f"/conferences/{conference_id}/waitlist",
        json={"ticket_type_id": ticket, "name": "First Waiting", "email": waiting},
    )
    await release_expired_holds(conference.deps, datetime.now(UTC) + timedelta(minutes=16))
    assert await conference.status(str(holder.json()["registration_id"])) == "expired"
    [offer] = await published("conference.waitlist_offered", email=waiting)
    link = offer.payload["claim_url"]
    assert link.startswith(f"{conference.deps.settings.conference_pages_url}/events/waitlist/")

    page = await conference.client.get(path_of(link))
    assert page.status_code == 200
    assert "A place is kept for you, First Waiting" in page.text
    assert "Claim it by" in page.text
    token = link.split("token=")[1]
    path = f"/events/waitlist/{offer.payload['entry_id']}/claim"
    assert (await conference.client.post(path, data={"token": token})).status_code == 403  # no CSRF pair
    assert await counts(conference) == (1, 1, 0)
    claimed = await conference.client.post(path, data={"csrf_token": csrf_of(page), "token": token})
    assert claimed.status_code == 303
    assert re.match(r"^/events/registrations/[0-9a-f-]+/pay\?token=", claimed.headers["location"])
    used = await conference.client.get(path_of(link))
    assert "This offer has ended" in used.text
    assert (await conference.client.get(f"{path}?token=wrong")).status_code == 404
