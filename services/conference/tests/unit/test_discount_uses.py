"""A discount code's uses never exceed its limit on any path (against in-memory fakes): a hold
takes one, an expiry or a cancellation gives it back once, a late payment takes it again or,
when none is left, is refunded like a sold-out seat."""

from datetime import timedelta
from uuid import UUID

from conference.domain.model import RegistrationStatus
from conference.domain.registration import CODE_USED_UP
from conference.service_layer import attendee, payments

from .fakes import Service, service
from .steps import hold, paid

S = RegistrationStatus


def uses(svc: Service, code_id: UUID) -> int:
    return svc.state.discount_codes[code_id][1]


def holding_the_code(svc: Service, code_id: UUID) -> int:
    """Registrations that hold a seat at the code's price."""
    return sum(
        1
        for r in svc.state.registrations.values()
        if svc.state.payers[r.id]["discount_code_id"] == code_id and r.status in (S.HELD, S.CONFIRMED)
    )


async def setup(svc: Service, max_uses: int = 1) -> tuple[UUID, UUID, UUID]:
    conference_id = svc.conference()
    return conference_id, svc.ticket_type(conference_id), svc.discount_code("EARLY10", 10, max_uses)


async def test_a_late_payment_takes_the_code_again_while_a_use_is_left() -> None:
    svc = service()
    conference_id, ticket, code_id = await setup(svc)
    held = await hold(svc, conference_id, ticket, discount_code="EARLY10")
    svc.clock.move(timedelta(minutes=16))
    await payments.release_expired_holds(svc.deps, svc.clock())
    assert uses(svc, code_id) == 0
    assert await paid(svc, held.registration_id) == "confirmed late"
    assert (uses(svc, code_id), holding_the_code(svc, code_id)) == (1, 1)


async def test_a_late_payment_whose_code_was_used_up_meanwhile_is_refunded_not_confirmed() -> None:
    svc = service()
    conference_id, ticket, code_id = await setup(svc)
    late = await hold(svc, conference_id, ticket, discount_code="EARLY10")
    svc.clock.move(timedelta(minutes=16))
    await payments.release_expired_holds(svc.deps, svc.clock())
    await hold(svc, conference_id, ticket, email="other@example.org", discount_code="EARLY10")
    seats_before = svc.database.seats_left(ticket)
    assert await paid(svc, late.registration_id) == "refunded"
    assert svc.state.registrations[late.registration_id].status is S.CANCELLED
    assert (uses(svc, code_id), holding_the_code(svc, code_id)) == (1, 1)
    assert svc.database.seats_left(ticket) == seats_before  # no seat kept for a refunded payment
    [refund] = svc.state.refunds.values()
    assert (refund.reason, refund.amount_minor) == (CODE_USED_UP, 40500)


async def test_a_late_payment_whose_seat_is_gone_gives_the_retaken_use_back() -> None:
    svc = service()
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id, capacity=1)
    code_id = svc.discount_code("EARLY10", 10, 2)
    late = await hold(svc, conference_id, ticket, discount_code="EARLY10")
    svc.clock.move(timedelta(minutes=16))
    await payments.release_expired_holds(svc.deps, svc.clock())
    await hold(svc, conference_id, ticket, email="other@example.org", discount_code=None)
    assert await paid(svc, late.registration_id) == "refunded"
    assert uses(svc, code_id) == 0


async def test_cancelling_gives_the_use_back_once_whatever_came_before() -> None:
    svc = service()
    conference_id, ticket, code_id = await setup(svc, max_uses=2)
    held = await hold(svc, conference_id, ticket, discount_code="EARLY10")
    svc.clock.move(timedelta(minutes=16))
    await payments.release_expired_holds(svc.deps, svc.clock())  # given back
    await paid(svc, held.registration_id)  # taken again, confirmed late
    other = await hold(svc, conference_id, ticket, email="other@example.org", discount_code="EARLY10")
    assert uses(svc, code_id) == 2
    await attendee.cancel(svc.deps, held.registration_id)
    assert (uses(svc, code_id), holding_the_code(svc, code_id)) == (1, 1)
    await attendee.cancel(svc.deps, other.registration_id)
    assert uses(svc, code_id) == 0


async def test_an_expired_hold_cancelled_paid_and_expired_again_never_gives_back_twice() -> None:
    svc = service()
    conference_id, ticket, code_id = await setup(svc)
    held = await hold(svc, conference_id, ticket, discount_code="EARLY10")
    assert await payments.expire_hold(svc.deps, held.registration_id, held.registration_id)
    assert not await payments.expire_hold(svc.deps, held.registration_id, held.registration_id)
    assert uses(svc, code_id) == 0
    again = await hold(svc, conference_id, ticket, email="b@example.org", discount_code="EARLY10")
    assert uses(svc, code_id) == 1
    assert await attendee.cancel(svc.deps, again.registration_id) == 0
    assert uses(svc, code_id) == 0
