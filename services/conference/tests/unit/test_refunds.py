"""Refunds as owed work against in-memory fakes: decided with the change, issued only once
Stripe accepted, retried with backoff while Stripe does not answer, failed when it refuses for
good, reconciled by charge.refunded, and claimed by one job at a time."""

from datetime import timedelta
from uuid import UUID

from conference.domain.errors import RefundRefused
from conference.domain.refund import Refund, RefundStatus
from conference.domain.registration import LATE_REFUND_REASON
from conference.service_layer import attendee, payments, refunds

from .fakes import Service, service
from .steps import hold, paid


async def sold_out_late_payment(svc: Service) -> UUID:
    """A hold that expired, its seat sold to someone else, then paid: a refund owed."""
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id, capacity=1)
    held = await hold(svc, conference_id, ticket, discount_code=None)
    svc.clock.move(timedelta(minutes=16))
    await payments.release_expired_holds(svc.deps, svc.clock())
    await hold(svc, conference_id, ticket, email="other@example.org", discount_code=None)
    return held.registration_id


def stripe_down(svc: Service) -> list[Refund]:
    asked: list[Refund] = []

    async def down(refund: Refund) -> str:
        asked.append(refund)
        raise ConnectionError("stripe is down")

    svc.stripe.refund = down  # type: ignore[method-assign]
    return asked


def charge_refunded(amount: int, event_id: str = "evt_refunded") -> dict[str, object]:
    charge = {"object": "charge", "payment_intent": "pi_1", "amount_refunded": amount}
    return {"id": event_id, "type": "charge.refunded", "created": 1, "data": {"object": charge}}


async def test_a_late_refund_owed_while_stripe_is_down_is_issued_once_stripe_answers() -> None:
    svc = service()
    working = svc.stripe.refund
    asked = stripe_down(svc)
    registration_id = await sold_out_late_payment(svc)
    assert await paid(svc, registration_id) == "refunded"
    [refund] = svc.state.refunds.values()
    assert (refund.status, refund.amount_minor, refund.reason) == (RefundStatus.OWED, 45000, LATE_REFUND_REASON)
    assert svc.state.registrations[registration_id].refunded_minor == 0
    assert svc.database.published("conference.refund_issued") == []
    assert len(asked) == 1  # asked at once, after the commit
    assert refund.next_attempt_at is not None
    assert refund.next_attempt_at > svc.clock()  # the backoff
    assert await refunds.issue_due(svc.deps, svc.clock()) == 0  # not due yet: Stripe not asked
    assert len(asked) == 1

    svc.stripe.refund = working  # type: ignore[method-assign]
    svc.clock.move(timedelta(hours=1))
    assert await refunds.issue_due(svc.deps, svc.clock()) == 1
    assert svc.stripe.refunds == [(registration_id, "pi_1", 45000)]
    assert svc.stripe.keys == [f"refund:{refund.id}:45000"]
    done = svc.state.refunds[refund.id]
    assert (done.status, done.stripe_refund_id, done.attempts) == (RefundStatus.ISSUED, "re_1", 2)
    assert svc.state.registrations[registration_id].refunded_minor == 45000
    assert len(svc.database.published("conference.refund_issued")) == 1
    svc.clock.move(timedelta(hours=1))
    assert await refunds.issue_due(svc.deps, svc.clock()) == 0
    assert len(svc.stripe.refunds) == 1


async def test_a_refund_claimed_by_one_job_is_not_asked_by_another_within_the_lease() -> None:
    svc = service()
    stripe_down(svc)
    registration_id = await sold_out_late_payment(svc)
    await paid(svc, registration_id)
    svc.stripe.refund = type(svc.stripe).refund.__get__(svc.stripe)  # type: ignore[method-assign]
    svc.clock.move(timedelta(hours=1))
    async with svc.deps.uow() as uow:  # the first job claims it and is still waiting for Stripe
        [claimed] = await uow.refunds.claim(svc.clock(), refunds.LEASE, 10)
        await uow.commit([])
    assert await refunds.issue_due(svc.deps, svc.clock()) == 0  # the second job finds nothing to do
    assert svc.stripe.refunds == []
    svc.clock.move(refunds.LEASE + timedelta(seconds=1))  # the first job died: the lease ran out
    assert await refunds.issue_due(svc.deps, svc.clock()) == 1
    assert svc.stripe.keys == [claimed.idempotency_key]
    assert len(svc.database.published("conference.refund_issued")) == 1


async def test_a_refund_stripe_refuses_for_good_is_failed_and_not_asked_again() -> None:
    svc = service()

    async def refused(refund: Refund) -> str:
        raise RefundRefused("Charge ch_1 has been charged back")

    svc.stripe.refund = refused  # type: ignore[method-assign]
    registration_id = await sold_out_late_payment(svc)
    await paid(svc, registration_id)
    [refund] = svc.state.refunds.values()
    assert (refund.status, refund.last_error) == (RefundStatus.FAILED, "Charge ch_1 has been charged back")
    svc.clock.move(timedelta(days=1))
    assert await refunds.issue_due(svc.deps, svc.clock()) == 0
    assert svc.database.published("conference.refund_issued") == []
    assert svc.state.registrations[registration_id].refunded_minor == 0


async def test_charge_refunded_issues_an_owed_refund_once_and_the_job_adds_nothing() -> None:
    svc = service()
    stripe_down(svc)
    registration_id = await sold_out_late_payment(svc)
    await paid(svc, registration_id)
    assert await payments.apply_stripe_event(svc.deps, charge_refunded(45000)) == "reconciled"
    [refund] = svc.state.refunds.values()
    assert refund.status is RefundStatus.ISSUED
    assert svc.state.registrations[registration_id].refunded_minor == 45000
    assert await payments.apply_stripe_event(svc.deps, charge_refunded(45000, "evt_again")) == "reconciled"
    svc.clock.move(timedelta(hours=1))
    assert await refunds.issue_due(svc.deps, svc.clock()) == 0
    assert len(svc.database.published("conference.refund_issued")) == 1


async def test_a_partial_charge_refunded_leaves_the_refund_owed() -> None:
    svc = service()
    stripe_down(svc)
    registration_id = await sold_out_late_payment(svc)
    await paid(svc, registration_id)
    await payments.apply_stripe_event(svc.deps, charge_refunded(1000))
    [refund] = svc.state.refunds.values()
    assert refund.status is RefundStatus.OWED
    assert svc.database.published("conference.refund_issued") == []


async def test_a_cancellation_refund_is_owed_in_its_transaction_and_issued_once() -> None:
    svc = service()
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id)
    held = await hold(svc, conference_id, ticket, discount_code=None)
    await paid(svc, held.registration_id)
    asked = stripe_down(svc)
    assert await attendee.cancel(svc.deps, held.registration_id) == 45000
    assert len(asked) == 1
    assert len(svc.database.published("conference.registration_cancelled")) == 1
    assert svc.database.published("conference.refund_issued") == []
    svc.stripe.refund = type(svc.stripe).refund.__get__(svc.stripe)  # type: ignore[method-assign]
    svc.clock.move(timedelta(hours=1))
    assert await refunds.issue_due(svc.deps, svc.clock()) == 1
    assert len(svc.database.published("conference.refund_issued")) == 1
