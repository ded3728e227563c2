"""Per-person access (issue 15, item 3; reliability property 16): each attendee of a group has a
link of their own that opens their own ticket only; the payer's link manages the group; "my
registrations" shows a signed-in person only the seats that are theirs. Anything else is a 404."""

from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

from .conftest import Conference, published
from .pages import member, path_of


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def _group(conference: Conference, attendees: list[str], payer: str | None = None) -> dict[str, Any]:
    """A paid group registration of `attendees` (addresses); the payer attends only if listed."""
    conference_id = await conference.conference(name="CIT International 2027")
    ticket = await conference.ticket_type(conference_id)
    payer = payer or f"payer-{uuid4().hex[:8]}@example.org"
    body = {
        "payer_name": "Pat Payer",
        "payer_email": payer,
        "attendees": [
            {"name": f"Person {n}", "email": e, "ticket_type_ids": [ticket]} for n, e in enumerate(attendees)
        ],
    }
    answer = await conference.client.post(f"/conferences/{conference_id}/registrations", json=body)
    assert answer.status_code == 201, answer.text
    registration_id = str(answer.json()["registration_id"])
    await conference.pay(registration_id, answer.json()["amount_minor"])
    [event] = await published("conference.registration_confirmed", registration_id=registration_id)
    return event.payload


async def test_each_attendee_opens_only_their_own_ticket_with_their_own_link(conference: Conference) -> None:
    ada, bob = f"ada-{uuid4().hex[:6]}@example.org", f"bob-{uuid4().hex[:6]}@example.org"
    payload = await _group(conference, [ada, bob])
    group_link = payload["manage_url"]
    by_email = {a["email"]: a for a in payload["attendees"]}
    links = {e: a["ticket_url"] for e, a in by_email.items()}
    assert None not in links.values()
    assert len({links[ada], links[bob], group_link}) == 3
    page = await conference.client.get(path_of(links[ada]))
    assert page.status_code == 200
    assert by_email[ada]["ticket_code"] in page.text
    assert by_email[bob]["ticket_code"] not in page.text
    for someone_else in (bob, "Person 1", payload["payer_email"]):
        assert someone_else not in page.text
    attendee_id = by_email[ada]["attendee_id"]
    api = await conference.client.get(f"/tickets/{attendee_id}", params={"token": _token(links[ada])})
    assert api.status_code == 200
    assert api.json()["ticket_code"] == by_email[ada]["ticket_code"]
    for someone_else in (bob, payload["payer_email"]):
        assert someone_else not in api.text


async def test_an_attendees_link_opens_nothing_of_the_group_and_cancels_nothing(conference: Conference) -> None:
    ada, bob = f"ada-{uuid4().hex[:6]}@example.org", f"bob-{uuid4().hex[:6]}@example.org"
    payload = await _group(conference, [ada, bob])
    registration_id = payload["registration_id"]
    [ada_ticket, bob_ticket] = sorted(payload["attendees"], key=lambda a: a["email"] != ada)
    ada_token = _token(ada_ticket["ticket_url"])
    group = f"/events/registrations/{registration_id}"
    for path in (group, f"{group}/cancel", f"/registrations/{registration_id}"):
        assert (await conference.client.get(path, params={"token": ada_token})).status_code == 404
    cancel = await conference.client.post(f"/registrations/{registration_id}/cancel", params={"token": ada_token})
    assert cancel.status_code == 404
    assert await conference.status(registration_id) == "confirmed"
    # Nor does one attendee's token open another's ticket, nor does the group's token open a ticket.
    other = f"/tickets/{bob_ticket['attendee_id']}"
    assert (await conference.client.get(other, params={"token": ada_token})).status_code == 404
    group_token = _token(payload["manage_url"])
    assert (await conference.client.get(other, params={"token": group_token})).status_code == 404
    assert (await conference.client.get(f"/events/tickets/{bob_ticket['attendee_id']}")).status_code == 404
    # The payer's link still manages the group.
    assert (await conference.client.get(path_of(payload["manage_url"]))).status_code == 200


async def test_my_registrations_shows_an_attendee_their_own_ticket_and_a_payer_the_group(
    conference: Conference,
) -> None:
    attendee = await member(conference)  # signed in
    payload = await _group(conference, [attendee, f"bob-{uuid4().hex[:6]}@example.org"])
    mine = await conference.client.get("/events/my")
    assert mine.status_code == 200
    own = next(a for a in payload["attendees"] if a["email"] == attendee)
    assert f"/events/tickets/{own['attendee_id']}" in mine.text
    assert "/events/registrations/" not in mine.text
    payer = await member(conference)  # now signed in as a payer who does not attend
    paid = await _group(conference, [f"carol-{uuid4().hex[:6]}@example.org"], payer=payer)
    theirs = await conference.client.get("/events/my")
    assert f"/events/registrations/{paid['registration_id']}" in theirs.text
    assert "/events/tickets/" not in theirs.text
