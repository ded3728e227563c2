"""Cancelling under the refund policy (C8) against in-memory fakes: what is refunded, when
Stripe is asked, and a refund that failed."""

from datetime import timedelta
from uuid import uuid4

import pytest

from conference.domain.errors import NotFound, RegistrationRefused
from conference.domain.model import RegistrationStatus
from conference.domain.refund import Refund, RefundStatus
from conference.service_layer import attendee

from .fakes import service
from .steps import held_one, paid

S = RegistrationStatus


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

    async def down(refund: Refund) -> str:
        raise ConnectionError("stripe is down")

    working = svc.stripe.refund
    svc.stripe.refund = down  # type: ignore[method-assign]
    # Cancelled, and the refund owed: not an error for the attendee, and not paid either.
    assert await attendee.cancel(svc.deps, held.registration_id) == 45000
    r = svc.state.registrations[held.registration_id]
    assert (r.status, r.refund_due_minor, r.refunded_minor) == (S.CANCELLED, 45000, 0)
    [owed] = svc.state.refunds.values()
    assert (owed.status, owed.attempts, owed.last_error) == (RefundStatus.OWED, 1, "stripe is down")
    assert svc.database.published("conference.refund_issued") == []
    svc.stripe.refund = working  # type: ignore[method-assign]
    svc.clock.move(timedelta(hours=1))  # past the backoff
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
