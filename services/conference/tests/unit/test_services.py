"""Conference's use cases against in-memory fakes (fakes.py): holds, payments (on time, late,
refunded), expiry, cancellation under the refund policy, the waitlist, check-in, Stripe's
webhook. What each asserts is what the real stack's tests see through the API."""

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from conference.domain.booking import AttendeeIn
from conference.domain.errors import NotFound, NotPayable, RegistrationRefused, SoldOut
from conference.domain.model import RegistrationStatus
from conference.domain.waitlist import WaitlistStatus
from conference.service_layer import attendee, checkin, holding, payments, waitlist
from convene_contracts import conference as contract

from .fakes import NOW, Service, kinds, service

S = RegistrationStatus


async def hold(
    svc: Service, conference_id: UUID, ticket: UUID, email: str = "pat@example.org", **kw: object
) -> holding.Held:
    person = AttendeeIn("Pat Payer", email, [ticket], {})
    return await holding.register(svc.deps, uuid4(), conference_id, "Pat Payer", email, [person], **kw)  # type: ignore[arg-type]


async def held_one(svc: Service, capacity: int = 10) -> tuple[UUID, UUID, holding.Held]:
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id, capacity=capacity)
    return conference_id, ticket, await hold(svc, conference_id, ticket, discount_code=None)


async def paid(svc: Service, registration_id: UUID, intent: str = "pi_1") -> str:
    return await payments.confirm_payment(svc.deps, registration_id, intent, uuid4(), svc.clock())


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
    svc = service()
    svc.state.members.add("member@example.org")
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id)
    held = await hold(svc, conference_id, ticket, email="Member@example.org", discount_code=None)
    assert held.amount_minor == 30000


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


# Payment


async def test_paying_a_hold_confirms_it_once() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    assert await paid(svc, held.registration_id) == "confirmed"
    r = svc.state.registrations[held.registration_id]
    assert (r.status, r.payment_intent, r.confirmed_at) == (S.CONFIRMED, "pi_1", NOW)
    assert kinds(svc.state.outbox)[-1] == "conference.registration_confirmed"
    assert await paid(svc, held.registration_id) == "ignored"
    assert len(svc.database.published("conference.registration_confirmed")) == 1


async def test_a_payment_for_no_registration_is_ignored() -> None:
    assert await paid(service(), uuid4()) == "ignored"


async def test_a_late_payment_is_confirmed_when_its_seats_can_be_taken_again() -> None:
    svc = service()
    _, ticket, held = await held_one(svc)
    svc.clock.move(timedelta(minutes=16))
    assert await payments.release_expired_holds(svc.deps, svc.clock()) == 1
    assert svc.database.seats_left(ticket) == 10
    assert await paid(svc, held.registration_id) == "confirmed late"
    assert svc.state.registrations[held.registration_id].status is S.CONFIRMED
    assert svc.database.seats_left(ticket) == 9
    assert svc.stripe.refunds == []


async def test_a_late_payment_whose_seat_was_sold_meanwhile_is_refunded_in_full_once() -> None:
    svc = service()
    conference_id, ticket, held = await held_one(svc, capacity=1)
    svc.clock.move(timedelta(minutes=16))
    await payments.release_expired_holds(svc.deps, svc.clock())
    await hold(svc, conference_id, ticket, email="other@example.org", discount_code=None)
    assert await paid(svc, held.registration_id) == "refunded"
    r = svc.state.registrations[held.registration_id]
    assert (r.status, r.refunded_minor) == (S.CANCELLED, 45000)
    [refund] = svc.database.published("conference.refund_issued")
    assert refund.payload.refund_minor == 45000  # type: ignore[attr-defined]
    assert svc.stripe.refunds == [(held.registration_id, "pi_1", 45000)]
    assert await paid(svc, held.registration_id) == "ignored"
    assert len(svc.stripe.refunds) == 1


async def test_checkout_opens_once_per_hold_and_never_after_it_ends() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    url = await payments.open_checkout(svc.deps, held.registration_id)
    assert await payments.open_checkout(svc.deps, held.registration_id) == url
    assert svc.stripe.checkouts == [held.registration_id]
    assert svc.state.registrations[held.registration_id].checkout_session_id == "cs_test_1"
    svc.clock.move(timedelta(minutes=15))
    with pytest.raises(NotPayable):
        await payments.open_checkout(svc.deps, held.registration_id)


# Expiry


async def test_expired_holds_give_their_seats_back_once_and_close_their_checkout() -> None:
    svc = service()
    _, ticket, held = await held_one(svc)
    await payments.open_checkout(svc.deps, held.registration_id)
    assert await payments.release_expired_holds(svc.deps, svc.clock()) == 0  # not yet
    svc.clock.move(timedelta(minutes=15))
    assert await payments.release_expired_holds(svc.deps, svc.clock()) == 1
    assert svc.state.registrations[held.registration_id].status is S.EXPIRED
    assert svc.database.seats_left(ticket) == 10
    assert kinds(svc.state.outbox)[-1] == "conference.hold_expired"
    assert svc.stripe.expired == ["cs_test_1"]
    assert await payments.release_expired_holds(svc.deps, svc.clock()) == 0
    assert not await payments.expire_hold(svc.deps, held.registration_id, uuid4())


async def test_an_expiry_gives_back_the_discount_code_use() -> None:
    svc = service()
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id)
    code_id = svc.discount_code("EARLY10", percent_off=10, max_uses=1)
    held = await hold(svc, conference_id, ticket, discount_code="EARLY10")
    assert svc.state.discount_codes[code_id][1] == 1
    assert await payments.expire_hold(svc.deps, held.registration_id, uuid4())
    assert svc.state.discount_codes[code_id][1] == 0


async def test_a_freed_seat_is_offered_to_the_first_person_waiting_not_sold() -> None:
    svc = service()
    conference_id, ticket, held = await held_one(svc, capacity=1)
    entry_id = await waitlist.join(svc.deps, conference_id, ticket, "Ada", "ada@example.org")
    assert await payments.expire_hold(svc.deps, held.registration_id, uuid4())
    assert svc.database.seats_left(ticket) == 0  # kept for Ada
    entry = svc.state.waitlist[entry_id]
    assert entry.status is WaitlistStatus.OFFERED
    assert entry.offered_shards is not None
    assert kinds(svc.state.outbox)[-2:] == ["conference.waitlist_offered", "conference.hold_expired"]


# Cancellation


@pytest.mark.parametrize(("days", "refund"), [(1, 45000), (40, 22500), (55, 0)])
async def test_cancelling_a_paid_registration_refunds_what_the_policy_gives(days: int, refund: int) -> None:
    svc = service()
    _, ticket, held = await held_one(svc)
    await paid(svc, held.registration_id)
    svc.clock.move(timedelta(days=days))
    assert await attendee.cancel(svc.deps, held.registration_id) == refund
    r = svc.state.registrations[held.registration_id]
    assert (r.status, r.refund_due_minor, r.refunded_minor) == (S.CANCELLED, refund, refund)
    assert svc.database.seats_left(ticket) == 10
    [cancelled] = svc.database.published("conference.registration_cancelled")
    assert cancelled.payload.refund_minor == refund  # type: ignore[attr-defined]
    if refund:
        assert svc.stripe.refunds == [(held.registration_id, "pi_1", refund)]
        assert len(svc.database.published("conference.refund_issued")) == 1
    else:
        assert svc.stripe.refunds == []
        assert svc.database.published("conference.refund_issued") == []


async def test_cancelling_a_hold_refunds_nothing_and_twice_is_refused() -> None:
    svc = service()
    _, ticket, held = await held_one(svc)
    assert await attendee.cancel(svc.deps, held.registration_id) == 0
    assert svc.database.seats_left(ticket) == 10
    with pytest.raises(RegistrationRefused):
        await attendee.cancel(svc.deps, held.registration_id)
    with pytest.raises(NotFound):
        await attendee.cancel(svc.deps, uuid4())


async def test_a_cancellation_whose_refund_failed_retries_the_refund_only() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    await paid(svc, held.registration_id)

    async def down(registration_id: UUID, payment_intent: str, amount_minor: int) -> str:
        raise ConnectionError("stripe is down")

    working = svc.stripe.refund
    svc.stripe.refund = down  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await attendee.cancel(svc.deps, held.registration_id)
    r = svc.state.registrations[held.registration_id]
    assert (r.status, r.refund_due_minor, r.refunded_minor) == (S.CANCELLED, 45000, 0)
    svc.stripe.refund = working  # type: ignore[method-assign]
    assert await attendee.cancel(svc.deps, held.registration_id) == 45000
    assert svc.state.registrations[held.registration_id].refunded_minor == 45000
    assert len(svc.database.published("conference.registration_cancelled")) == 1
    assert len(svc.database.published("conference.refund_issued")) == 1


async def test_the_attendee_sees_what_cancelling_would_refund_now() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    assert (await attendee.view(svc.deps, held.registration_id))["refund_if_cancelled_now"] == 0
    await paid(svc, held.registration_id)
    seen = await attendee.view(svc.deps, held.registration_id)
    assert (seen["status"], seen["refund_if_cancelled_now"]) == ("confirmed", 45000)


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


async def offered_seat(svc: Service) -> tuple[UUID, UUID, str]:
    conference_id, ticket, held = await held_one(svc, capacity=1)
    entry_id = await waitlist.join(svc.deps, conference_id, ticket, "Ada", "ada@example.org")
    await payments.expire_hold(svc.deps, held.registration_id, uuid4())
    [offer] = svc.database.published("conference.waitlist_offered")
    token = offer.payload.claim_url.split("token=")[1]  # type: ignore[attr-defined]
    return ticket, entry_id, token


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


# Stripe's webhook


def completed(registration_id: UUID, event_id: str = "evt_1") -> dict[str, object]:
    session = {
        "metadata": {"convene_kind": "registration", "registration_id": str(registration_id)},
        "payment_status": "paid",
        "payment_intent": "pi_1",
    }
    return {
        "id": event_id,
        "type": "checkout.session.completed",
        "created": int(NOW.timestamp()),
        "data": {"object": session},
    }


async def test_each_stripe_event_is_applied_once() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "confirmed"
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "duplicate"
    assert len(svc.database.published("conference.registration_confirmed")) == 1


async def test_a_stripe_event_whose_effect_failed_is_forgotten_for_the_retry() -> None:
    svc = service()
    _, _, held = await held_one(svc)

    def broken() -> object:
        raise RuntimeError("database down")

    working = svc.deps.uow
    object.__setattr__(svc.deps, "uow", broken)
    with pytest.raises(RuntimeError):
        await payments.apply_stripe_event(svc.deps, completed(held.registration_id))
    assert svc.notices.forgotten == ["evt_1"]
    object.__setattr__(svc.deps, "uow", working)
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "confirmed"


async def test_a_stripe_session_that_expired_releases_the_hold() -> None:
    svc = service()
    _, ticket, held = await held_one(svc)
    event = completed(held.registration_id) | {"type": "checkout.session.expired"}
    assert await payments.apply_stripe_event(svc.deps, event) == "released"
    assert svc.state.registrations[held.registration_id].status is S.EXPIRED
    assert svc.database.seats_left(ticket) == 10
