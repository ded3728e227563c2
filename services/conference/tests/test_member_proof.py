"""Member prices only where membership is proven (issue 15, item 3): the member is signed in, or
the attendee confirms through the link sent to the member's address while the hold lasts. Until
then the seat is held at the non-member price, so no money is ever taken at an unproven price."""

import time
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from convene_web.sessions import SESSION_COOKIE, Session, signed

from .conftest import Conference, published
from .pages import csrf_of, member, path_of


async def _hold(conference: Conference, email: str) -> tuple[str, dict[str, Any]]:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, member_price_minor=30000, non_member_price_minor=45000)
    answer = await conference.register(conference_id, [ticket], email=email)
    assert answer.status_code == 201, answer.text
    return ticket, answer.json()


async def _offer(registration_id: str) -> dict[str, Any]:
    [offered] = await published("conference.member_price_offered", registration_id=registration_id)
    return offered.payload


async def test_a_members_address_typed_by_anyone_holds_at_the_non_member_price(conference: Conference) -> None:
    email = await member(conference, sign_in=False)
    _, held = await _hold(conference, email)
    assert held["amount_minor"] == 45000
    # The answer is the one anyone's address gets: it tells nobody who is a member.
    assert set(held) == {"registration_id", "status", "amount_minor", "currency", "hold_expires_at", "checkout_url"}
    offer = await _offer(str(held["registration_id"]))
    assert offer["email"] == email
    assert offer["member_amount_minor"] == 30000
    stored = await conference.pool.fetchval(
        "SELECT amount_minor FROM registrations WHERE id = $1", UUID(str(held["registration_id"]))
    )
    assert stored == 45000


async def test_a_signed_in_member_holds_at_the_member_price_at_once(conference: Conference) -> None:
    email = await member(conference)  # the session cookie goes with the API call too
    _, held = await _hold(conference, email)
    assert held["amount_minor"] == 30000
    pending = await conference.pool.fetchval(
        "SELECT count(t.member_price_minor) FROM attendee_tickets t JOIN attendees a ON a.id = t.attendee_id"
        " WHERE a.registration_id = $1",
        UUID(str(held["registration_id"])),
    )
    assert pending == 0  # nothing left to confirm: no offer is made


async def test_someone_signed_in_as_another_member_does_not_prove_this_one(conference: Conference) -> None:
    await member(conference)  # signed in as one member
    other = await member(conference, sign_in=False)
    _, held = await _hold(conference, other)
    assert held["amount_minor"] == 45000


async def test_the_link_sent_to_the_member_confirms_the_member_price_before_payment(conference: Conference) -> None:
    email = await member(conference, sign_in=False)
    _, held = await _hold(conference, email)
    registration_id = str(held["registration_id"])
    # The pay link was opened already: that Checkout Session is at the old price.
    pay = urlsplit(held["checkout_url"])
    assert (await conference.client.get(f"{pay.path}?{pay.query}")).status_code == 303
    offer = await _offer(registration_id)
    confirm = path_of(offer["confirm_url"])
    page = await conference.client.get(confirm)
    assert page.status_code == 200
    assert "300.00" in page.text
    done = await conference.client.post(confirm, data={"csrf_token": csrf_of(page)})
    assert done.status_code == 200
    assert "member price" in done.text.lower()
    row = await conference.pool.fetchrow(
        "SELECT amount_minor, checkout_session_id FROM registrations WHERE id = $1", UUID(registration_id)
    )
    assert row is not None
    assert row["amount_minor"] == 30000
    assert row["checkout_session_id"] is None  # the old session was closed; the pay link makes a new one
    assert (await conference.client.get(f"{pay.path}?{pay.query}")).status_code == 303
    assert await conference.pool.fetchval(
        "SELECT checkout_session_id FROM registrations WHERE id = $1", UUID(registration_id)
    )
    again = await conference.client.post(confirm, data={"csrf_token": csrf_of(page)})
    assert again.status_code == 200  # confirming twice changes nothing more
    assert (
        await conference.pool.fetchval("SELECT amount_minor FROM registrations WHERE id = $1", UUID(registration_id))
        == 30000
    )


async def test_the_price_is_final_once_paid_and_a_wrong_link_is_a_404(conference: Conference) -> None:
    email = await member(conference, sign_in=False)
    _, held = await _hold(conference, email)
    registration_id = str(held["registration_id"])
    offer = await _offer(registration_id)
    await conference.pay(registration_id, 45000)
    api = urlsplit(offer["confirm_url"])
    attendee_id = api.path.rstrip("/").split("/")[-2]
    late = await conference.client.post(f"/attendees/{attendee_id}/member-price?{api.query}")
    assert late.status_code == 409
    assert "final" in late.json()["detail"]
    assert (
        await conference.pool.fetchval("SELECT amount_minor FROM registrations WHERE id = $1", UUID(registration_id))
        == 45000
    )
    wrong = await conference.client.post(f"/attendees/{attendee_id}/member-price", params={"token": "0" * 32})
    assert wrong.status_code == 404
    stranger = await conference.client.post(f"/attendees/{uuid4()}/member-price", params={"token": "0" * 32})
    assert stranger.status_code == 404


async def test_a_non_member_gets_no_offer(conference: Conference) -> None:
    email = f"n-{uuid4().hex[:8]}@example.org"
    _, held = await _hold(conference, email)
    assert held["amount_minor"] == 45000
    session = Session("member", uuid4(), email, int(time.time()) + 3600)  # signed in, but not a member here
    conference.client.cookies.set(SESSION_COOKIE, signed(conference.deps.settings, session))
    _, again = await _hold(conference, email)
    assert again["amount_minor"] == 45000
