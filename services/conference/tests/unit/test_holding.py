"""Holding seats against in-memory fakes (fakes.py): the seat, the price, the event, refusals."""

from datetime import timedelta

import pytest

from conference.domain.errors import NotFound, RegistrationRefused, SoldOut
from conference.domain.model import RegistrationStatus
from conference.service_layer import member_proof
from convene_contracts import conference as contract

from .fake_state import NOW
from .fakes import service
from .steps import held_one, hold

S = RegistrationStatus


# Holding seats


async def test_a_hold_takes_a_seat_and_announces_itself_with_the_pay_link() -> None:
    svc = service()
    _, ticket, held = await held_one(svc)
    assert (held.status, held.amount_minor, held.currency) == (S.HELD, 45000, "usd")
    assert held.hold_expires_at == NOW + timedelta(minutes=15)
    assert held.checkout_url is not None
    assert "/checkout?token=" in held.checkout_url
    assert svc.database.seats_left(ticket) == 9
    [event] = svc.database.published("conference.registration_held")
    assert isinstance(event, contract.RegistrationHeld)
    assert event.payload.registration_id == held.registration_id
    assert event.payload.checkout_url == held.checkout_url
    assert len(svc.holds.written) == 1  # the batch was asked first; it found no seat, so the general path wrote it


async def test_a_member_pays_the_member_price() -> None:
    """Signed in as the member: the address is proven (issue 15)."""
    svc = service()
    svc.state.members.add("member@example.org")
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id)
    held = await hold(
        svc, conference_id, ticket, email="Member@example.org", discount_code=None, member_email="member@example.org"
    )
    assert held.amount_minor == 30000
    assert held.member_price_pending == ()
    assert svc.database.published("conference.member_price_offered") == []


async def test_a_members_address_without_proof_holds_at_the_non_member_price_and_is_sent_the_link() -> None:
    svc = service()
    svc.state.members.add("member@example.org")
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id)
    held = await hold(svc, conference_id, ticket, email="member@example.org", discount_code=None)
    assert held.amount_minor == 45000
    assert held.member_price_pending == ("member@example.org",)
    [offer] = svc.database.published("conference.member_price_offered")
    assert isinstance(offer, contract.MemberPriceOffered)
    assert (offer.payload.email, offer.payload.member_amount_minor) == ("member@example.org", 30000)
    token = offer.payload.confirm_url.split("token=")[1]
    assert await member_proof.confirm(svc.deps, offer.payload.attendee_id, token) == 30000
    assert svc.state.registrations[held.registration_id].amount_minor == 30000
    with pytest.raises(NotFound):
        await member_proof.confirm(svc.deps, offer.payload.attendee_id, "0" * 32)


async def test_a_sold_out_ticket_type_refuses_and_writes_nothing() -> None:
    svc = service()
    conference_id, ticket, _ = await held_one(svc, capacity=1)
    with pytest.raises(SoldOut):
        await hold(svc, conference_id, ticket, email="late@example.org", discount_code=None)
    assert len(svc.state.registrations) == 1
    assert len(svc.database.published("conference.registration_held")) == 1


async def test_registration_outside_its_window_is_refused() -> None:
    svc = service()
    conference_id = svc.conference(registration_opens_at=NOW + timedelta(days=1))
    ticket = svc.ticket_type(conference_id)
    with pytest.raises(RegistrationRefused, match="not open"):
        await hold(svc, conference_id, ticket, discount_code=None)


async def test_a_free_ticket_is_confirmed_at_once_with_a_ticket_code() -> None:
    svc = service()
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id, member=0, others=0)
    held = await hold(svc, conference_id, ticket, discount_code=None)
    assert held.status is S.CONFIRMED
    assert held.checkout_url is None
    assert svc.state.registrations[held.registration_id].status is S.CONFIRMED
    [person] = svc.database.attendees_of(held.registration_id)
    assert person["ticket_code"] is not None
    [event] = svc.database.published("conference.registration_confirmed")
    assert event.payload.attendees[0].ticket_code == person["ticket_code"]  # type: ignore[attr-defined]
    assert svc.database.published("conference.registration_held") == []


async def test_a_discount_code_is_used_only_while_uses_remain() -> None:
    svc = service()
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id)
    svc.discount_code("EARLY10", percent_off=10, max_uses=1)
    first = await hold(svc, conference_id, ticket, discount_code=" early10 ")
    assert first.amount_minor == 40500
    with pytest.raises(RegistrationRefused, match="used up"):
        await hold(svc, conference_id, ticket, email="b@example.org", discount_code="EARLY10")
    assert svc.database.seats_left(ticket) == 99  # the refused hold took no seat
