"""Payment, late payment (confirmed again or refunded), expiry and Stripe's webhook, against
in-memory fakes."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from conference.domain.errors import NotPayable
from conference.domain.model import RegistrationStatus
from conference.domain.registration import Registration
from conference.domain.waitlist import WaitlistStatus
from conference.service_layer import payments, waitlist
from conference.service_layer.gateways import Checkout

from .fake_registrations import FakeRegistrations
from .fake_state import NOW
from .fakes import kinds, service
from .steps import completed, held_one, hold, paid

S = RegistrationStatus


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


# Stripe's webhook


async def test_each_stripe_event_is_applied_once() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "confirmed"
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "duplicate"
    assert len(svc.database.published("conference.registration_confirmed")) == 1


async def test_a_stripe_event_whose_effect_failed_is_applied_on_the_retry() -> None:
    svc = service()
    _, _, held = await held_one(svc)

    def broken() -> object:
        raise RuntimeError("database down")

    working = svc.deps.uow
    object.__setattr__(svc.deps, "uow", broken)
    with pytest.raises(RuntimeError):
        await payments.apply_stripe_event(svc.deps, completed(held.registration_id))
    assert svc.state.stripe_events == set()
    object.__setattr__(svc.deps, "uow", working)
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "confirmed"


async def test_an_effect_that_fails_after_the_event_was_recorded_forgets_the_event_with_it() -> None:
    """The event's row and its effect are one unit of work: a failure between them (here the
    registration's save) leaves neither, and Stripe's retry confirms."""
    svc = service()
    _, _, held = await held_one(svc)
    working = FakeRegistrations.save

    async def crashes(self: FakeRegistrations, registration: Registration) -> None:
        raise ConnectionResetError("the connection went away mid-transaction")

    FakeRegistrations.save = crashes  # type: ignore[method-assign]
    try:
        with pytest.raises(ConnectionResetError):
            await payments.apply_stripe_event(svc.deps, completed(held.registration_id))
    finally:
        FakeRegistrations.save = working  # type: ignore[method-assign]
    assert svc.state.registrations[held.registration_id].status is S.HELD
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "confirmed"
    assert await payments.apply_stripe_event(svc.deps, completed(held.registration_id)) == "duplicate"
    assert len(svc.database.published("conference.registration_confirmed")) == 1


async def test_a_stripe_session_that_expired_releases_the_hold() -> None:
    svc = service()
    _, ticket, held = await held_one(svc)
    event = completed(held.registration_id) | {"type": "checkout.session.expired"}
    assert await payments.apply_stripe_event(svc.deps, event) == "released"
    assert svc.state.registrations[held.registration_id].status is S.EXPIRED
    assert svc.database.seats_left(ticket) == 10


async def test_of_two_checkouts_made_at_once_the_first_stored_is_kept_and_the_other_closed() -> None:
    svc = service()
    _, _, held = await held_one(svc)
    plain = svc.stripe.checkout

    async def meanwhile_another_visit(*args: Any, **kwargs: Any) -> Checkout:
        svc.stripe.checkout = plain  # type: ignore[method-assign]
        first = await payments.open_checkout(svc.deps, held.registration_id)  # stored while ours is made
        assert first == "https://checkout.stripe.test/1"
        return await plain(*args, **kwargs)

    svc.stripe.checkout = meanwhile_another_visit  # type: ignore[method-assign]
    assert await payments.open_checkout(svc.deps, held.registration_id) == "https://checkout.stripe.test/1"
    assert svc.state.registrations[held.registration_id].checkout_session_id == "cs_test_1"
    assert svc.stripe.expired == ["cs_test_2"]
