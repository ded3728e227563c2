"""Refunds as owed work (C5, C8). The transaction that cancels a registration or turns a late
payment away writes the refund as owed; this module asks Stripe for it, outside any unit of
work, until Stripe answers: issued (and only then RefundIssued, so the attendee's email goes out
after Stripe took it), failed when Stripe refuses it for good, otherwise owed and tried again
with backoff. Several jobs may run: each claims refunds (SKIP LOCKED, a lease), and the
refund's idempotency key makes two asks one Stripe refund."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from conference.domain.errors import RefundRefused
from conference.domain.refund import Refund
from conference.service_layer import announcements
from conference.service_layer.deps import Deps
from conference.service_layer.unit_of_work import UnitOfWork
from convene_contracts import Event
from convene_delivery.backoff import backoff_delay

log = logging.getLogger(__name__)
# Longer than a Stripe call with its network retries: another job takes a claimed refund only
# when this one died mid-call.
LEASE = timedelta(minutes=5)
RETRY_BASE_SECONDS, RETRY_MAX_SECONDS = 30.0, 3600.0
BATCH = 20
Change = Callable[[Refund], None]


async def issue_due(deps: Deps, now: datetime) -> int:
    """One pass of the refund job: every owed refund that is due; returns how many were issued."""
    async with deps.uow() as uow:
        claimed = await uow.refunds.claim(now, LEASE, BATCH)
        await uow.commit([])
    return sum([await _ask_stripe(deps, refund) for refund in claimed])


async def issue_now(deps: Deps, registration_id: UUID) -> bool:
    """The refund a registration is owed, asked at once (after the commit that owes it) unless
    another job holds it or it waits for its next attempt; whatever happens, the job goes on."""
    try:
        async with deps.uow() as uow:
            claimed = await uow.refunds.claim(deps.clock(), LEASE, 1, registration_id)
            await uow.commit([])
        return bool(claimed) and await _ask_stripe(deps, claimed[0])
    except Exception:  # owed still: the refund job asks again
        log.warning(
            "refund of registration %s left to the refund job",
            registration_id,
            exc_info=True,
            extra={"registration_id": str(registration_id)},
        )
        return False


async def _ask_stripe(deps: Deps, refund: Refund) -> bool:
    """No connection and no lock is held while Stripe answers."""
    try:
        stripe_refund_id = await deps.stripe.refund(refund)
    except RefundRefused as error:
        log.error("Stripe refused refund %s for good: %s", refund.id, error, extra=_ids(refund))
        why = str(error)
        await _record(deps, refund.id, lambda r: r.refused(why))
        return False
    except Exception as error:  # noqa: BLE001 - no answer, whatever the cause: owed still, asked again later
        delay = backoff_delay(refund.attempts, RETRY_BASE_SECONDS, RETRY_MAX_SECONDS)
        log.warning("refund %s not issued (attempt %d): %s", refund.id, refund.attempts, error, extra=_ids(refund))
        at, why = deps.clock() + timedelta(seconds=delay), str(error) or type(error).__name__
        await _record(deps, refund.id, lambda r: r.try_again(at, why))
        return False
    async with deps.uow() as uow:
        found = await uow.refunds.get(refund.id)
        assert found is not None
        events = await issued(uow, deps, found, stripe_refund_id, uuid4())
        await uow.commit(events)
    return bool(events)


async def _record(deps: Deps, refund_id: UUID, change: Change) -> None:
    async with deps.uow() as uow:
        refund = await uow.refunds.get(refund_id)
        assert refund is not None
        change(refund)
        await uow.refunds.save(refund)
        await uow.commit([])


async def issued(
    uow: UnitOfWork, deps: Deps, refund: Refund, stripe_refund_id: str | None, correlation_id: UUID
) -> list[Event]:
    """Stripe took the refund (the job's answer or Stripe's charge.refunded): marked issued and
    announced the first time, nothing the second."""
    if not refund.issued(stripe_refund_id, deps.clock()):
        return []
    await uow.refunds.save(refund)
    registration = await uow.registrations.get(refund.registration_id)
    assert registration is not None
    registration.refund_paid(refund)
    await uow.registrations.save(registration)
    return await announcements.published(uow, deps, registration, correlation_id)


async def reconcile(
    uow: UnitOfWork, deps: Deps, payment_intent: str, refunded_minor: int, correlation_id: UUID
) -> list[Event]:
    """Stripe's charge.refunded: the refund owed for this payment is issued if Stripe refunded
    at least its amount and the job had not recorded it yet; a refund made in Stripe's dashboard
    is recorded on the registration."""
    refund = await uow.refunds.for_payment(payment_intent)
    if refund is None or refunded_minor < refund.amount_minor:
        await uow.registrations.refund_reported(payment_intent, refunded_minor)
        return []
    return await issued(uow, deps, refund, None, correlation_id)


def _ids(refund: Refund) -> dict[str, str]:
    """What a refund's log line names: ids only (docs/operations.md, "Logs")."""
    return {"refund_id": str(refund.id), "registration_id": str(refund.registration_id)}
