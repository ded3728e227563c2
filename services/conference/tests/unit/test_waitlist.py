"""The waitlist (C7) and check-in (C10) against in-memory fakes: joining, offers claimed or
passed on, each ticket scanned once."""

from datetime import timedelta

import pytest

from conference.domain.errors import NotFound, RegistrationRefused
from conference.domain.model import RegistrationStatus
from conference.domain.waitlist import WaitlistStatus
from conference.service_layer import checkin, holding, waitlist

from .fake_state import NOW
from .fakes import kinds, service
from .steps import held_one, hold, offered_seat, paid

S = RegistrationStatus


# The waitlist


async def test_joining_a_waitlist_needs_a_sold_out_ticket_type_and_once_per_person() -> None:
    svc = service()
    conference_id, ticket, _ = await held_one(svc, capacity=2)
    with pytest.raises(RegistrationRefused, match="register instead"):
        await waitlist.join(svc.deps, conference_id, ticket, "Ada", "ada@example.org")
    await hold(svc, conference_id, ticket, email="b@example.org", discount_code=None)
    await waitlist.join(svc.deps, conference_id, ticket, "Ada", "ada@example.org")
    with pytest.raises(RegistrationRefused, match="already"):
        await waitlist.join(svc.deps, conference_id, ticket, "Ada", "ada@example.org")
    with pytest.raises(RegistrationRefused, match="not a ticket type"):
        await waitlist.join(svc.deps, svc.conference(), ticket, "Bo", "bo@example.org")
    assert kinds(svc.state.outbox).count("conference.waitlist_joined") == 1


async def test_the_person_offered_a_seat_claims_it_as_a_hold_of_that_seat() -> None:
    svc = service()
    ticket, entry_id, token = await offered_seat(svc)
    shown = await waitlist.offer(svc.deps, entry_id, token)
    assert shown is not None
    assert shown.open
    assert shown.name == "Ada"
    held = await holding.claim_offer(svc.deps, entry_id, token)
    assert held.status is S.HELD
    assert held.amount_minor == 45000
    assert svc.state.waitlist[entry_id].status is WaitlistStatus.CLAIMED
    assert svc.database.seats_left(ticket) == 0  # the kept seat, not a new one
    [mine] = [t for t in svc.state.tickets if svc.state.attendees[t["attendee_id"]]["email"] == "ada@example.org"]
    assert mine["shards"] == svc.state.waitlist[entry_id].offered_shards
    with pytest.raises(RegistrationRefused, match="claimed already"):
        await holding.claim_offer(svc.deps, entry_id, token)


async def test_a_wrong_claim_link_claims_nothing() -> None:
    svc = service()
    _, entry_id, _ = await offered_seat(svc)
    assert await waitlist.offer(svc.deps, entry_id, "wrong") is None
    with pytest.raises(RegistrationRefused):
        await holding.claim_offer(svc.deps, entry_id, "wrong")
    assert svc.state.waitlist[entry_id].status is WaitlistStatus.OFFERED


async def test_an_unclaimed_offer_passes_to_the_next_person_then_back_to_sale() -> None:
    svc = service()
    ticket, first, _ = await offered_seat(svc)
    conference_id = svc.state.ticket_types[ticket]["conference_id"]
    second = await waitlist.join(svc.deps, conference_id, ticket, "Bo", "bo@example.org")
    assert await waitlist.expire_offers(svc.deps, svc.clock()) == 0
    svc.clock.move(timedelta(hours=24))
    assert await waitlist.expire_offers(svc.deps, svc.clock()) == 1
    assert svc.state.waitlist[first].status is WaitlistStatus.EXPIRED
    assert svc.state.waitlist[second].status is WaitlistStatus.OFFERED
    assert kinds(svc.state.outbox)[-2:] == ["conference.waitlist_offer_expired", "conference.waitlist_offered"]
    svc.clock.move(timedelta(hours=24))
    assert await waitlist.expire_offers(svc.deps, svc.clock()) == 1
    assert svc.database.seats_left(ticket) == 1  # nobody waits: back to sale


# Check-in


async def test_a_ticket_checks_in_once_and_a_second_scan_says_when() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    await paid(svc, held.registration_id)
    [person] = svc.database.attendees_of(held.registration_id)
    code = person["ticket_code"].lower()
    first = await checkin.check_in(svc.deps, f" {code} ")
    assert first.first_time
    assert first.checked_in_at == NOW
    assert first.conference_name == "CIT Conference"
    svc.clock.move(timedelta(minutes=5))
    again = await checkin.check_in(svc.deps, code)
    assert not again.first_time
    assert again.checked_in_at == NOW
    assert kinds(svc.state.outbox).count("conference.checked_in") == 1
    await checkin.undo(svc.deps, code)
    with pytest.raises(NotFound):
        await checkin.undo(svc.deps, code)
    assert (await checkin.check_in(svc.deps, code)).first_time


async def test_an_unknown_or_unpaid_ticket_does_not_check_in() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    with pytest.raises(NotFound):
        await checkin.check_in(svc.deps, "NOSUCHCODE")
    assert svc.database.attendees_of(held.registration_id)[0]["ticket_code"] is None
