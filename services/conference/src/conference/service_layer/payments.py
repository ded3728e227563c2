"""After the hold (C5, C6, C8): Stripe Checkout opens on the first visit, Stripe's webhook events
confirm a registration (or end its hold), time releases it, and a late payment is confirmed again
or refunded. Each change runs in one unit of work with its outbox events. Holds themselves are
made in holding.py."""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from conference.domain.errors import NotPayable
from conference.domain.model import RegistrationStatus
from conference.domain.registration import CODE_USED_UP, LATE_REFUND_REASON
from conference.service_layer import announcements, refunds, seats
from conference.service_layer.attendee_links import registration_url
from conference.service_layer.deps import Deps
from conference.service_layer.unit_of_work import UnitOfWork
from convene_contracts import Event

log = logging.getLogger(__name__)
STRIPE_MINIMUM_CHECKOUT = timedelta(minutes=31)  # Stripe refuses sessions that expire sooner
Json = dict[str, Any]


async def open_checkout(deps: Deps, registration_id: UUID) -> str:
    """Stripe Checkout for a held registration: made on the first visit, the same one after.

    Stripe is called with no connection or lock held: the hold is read in one short unit of work
    and the session stored in another, only if the registration is still held and has none. Two
    visits at once ask with the same idempotency key (the registration and an expiry rounded to
    the minute), so Stripe gives both one session; should they differ, the first stored is kept
    and the other closed. Stripe needs at least 30 minutes, so the session may outlive the hold:
    the hold sweeper closes it when the hold ends, and a payment that still lands is confirmed
    again or refunded (C5)."""
    now = deps.clock()
    async with deps.uow() as uow:
        registration = await uow.registrations.get(registration_id)
        if registration is None:
            raise NotPayable(registration_id)
        registration.check_payable(now)
        if registration.checkout_url:
            return registration.checkout_url
        rows = await uow.registrations.checkout_lines(registration_id)
    lines = [(f"{registration.conference_name}: {a['name']} ({a['tickets']})", int(a["amount"])) for a in rows]
    next_minute = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    checkout = await deps.stripe.checkout(
        registration_id,
        registration.payer_email,
        [line for line in lines if line[1] > 0],
        registration.currency,
        max(registration.hold_expires_at, next_minute + STRIPE_MINIMUM_CHECKOUT),
        # Back from Stripe: paid, to the registration page (it waits for the webhook); not paid,
        # to the payment page, which still has the Pay button while the hold lasts.
        success_url=registration_url(deps, registration_id),
        cancel_url=registration_url(deps, registration_id, "/pay"),
    )
    async with deps.uow() as uow:
        stored = await uow.registrations.attach_checkout(registration_id, checkout.session_id, checkout.url)
        current = None if stored else await uow.registrations.get(registration_id)
        await uow.commit([])
    if current is None or current.checkout_session_id == checkout.session_id:
        return checkout.url
    await _close(deps, checkout.session_id)  # another visit's session was kept, or the hold ended
    if current.status is RegistrationStatus.HELD and current.checkout_url:
        return current.checkout_url
    raise NotPayable(registration_id)


async def _close(deps: Deps, session_id: str) -> None:
    try:
        await deps.stripe.expire_checkout(session_id)
    except Exception:  # a payment that still arrives is confirmed or refunded
        log.warning("could not close checkout %s", session_id, exc_info=True)


Outcome = tuple[str, list[Event], UUID | None]  # what happened, its events, the registration now owed a refund


async def confirm_payment(
    deps: Deps, registration_id: UUID, payment_intent: str | None, correlation_id: UUID, at: datetime
) -> str:
    async with deps.uow() as uow:
        outcome, events, refund_owed = await paid(uow, deps, registration_id, payment_intent, correlation_id, at)
        await uow.commit(events)
    if refund_owed is not None:
        await refunds.issue_now(deps, refund_owed)
    return outcome


async def paid(
    uow: UnitOfWork, deps: Deps, registration_id: UUID, payment_intent: str | None, correlation_id: UUID, at: datetime
) -> Outcome:
    """Stripe says it is paid. Held: confirmed. Expired: confirmed if the seats and the discount
    code's use can be taken again, otherwise cancelled with the whole payment owed back (C5).
    Anything else: nothing more to do."""
    registration = await uow.registrations.get(registration_id)
    if registration is None:
        return "ignored", [], None
    refund = None
    match registration.status:
        case RegistrationStatus.HELD:
            registration.confirm(at, payment_intent)
            outcome = "confirmed"
        case RegistrationStatus.EXPIRED:
            refused = await _take_again(uow, registration_id)
            if refused is None:
                registration.confirm_late(at, payment_intent)
                outcome = "confirmed late"
            elif payment_intent is None:
                return "ignored", [], None
            else:
                registration.refund_late(at, payment_intent)
                refund = registration.owe_refund(uuid4(), refused)
                outcome = "refunded"
        case _:
            return "ignored", [], None
    await uow.registrations.save(registration)
    if refund is not None:
        await uow.refunds.add(refund)
    else:
        await uow.registrations.issue_ticket_codes(registration_id)
    return (
        outcome,
        await announcements.published(uow, deps, registration, correlation_id),
        (None if refund is None else registration_id),
    )


async def _take_again(uow: UnitOfWork, registration_id: UUID) -> str | None:
    """A late payment takes the code's use and the seats again, all or none; why not, if not."""
    if not await uow.discount_codes.take_again(registration_id):
        return CODE_USED_UP
    if not await uow.registrations.retake_seats(registration_id):
        await uow.discount_codes.give_back_use(registration_id)
        return LATE_REFUND_REASON
    return None


async def expire_hold(deps: Deps, registration_id: UUID, correlation_id: UUID) -> bool:
    async with deps.uow() as uow:
        events = await expired(uow, deps, registration_id, correlation_id)
        await uow.commit(events or [])
    return events is not None


async def expired(uow: UnitOfWork, deps: Deps, registration_id: UUID, correlation_id: UUID) -> list[Event] | None:
    """A held registration ends unpaid: its seats and code use go back, exactly once (the status
    guard); None when it was not held."""
    registration = await uow.registrations.get(registration_id)
    if registration is None or registration.status is not RegistrationStatus.HELD:
        return None
    registration.expire()
    await uow.registrations.save(registration)
    offers = await seats.give_back_registration(uow, deps, registration_id, deps.clock())
    return offers + await announcements.published(uow, deps, registration, correlation_id)


async def release_expired_holds(deps: Deps, now: datetime) -> int:
    """Every hold past its time goes back once; its Stripe page is closed so nobody pays for it."""
    released = 0
    for row in await deps.views.holds_past(now):
        if await expire_hold(deps, row["id"], uuid4()):
            released += 1
            if row["checkout_session_id"]:
                await _close(deps, row["checkout_session_id"])
    return released


def _registration_of(session: Json) -> UUID | None:
    metadata = session.get("metadata") or {}
    if metadata.get("convene_kind") != "registration":
        return None  # dues, or anything else: not conference's business
    try:
        return UUID(metadata.get("registration_id") or session.get("client_reference_id") or "")
    except ValueError:
        return None


async def apply_stripe_event(deps: Deps, event: Json) -> str:
    """Each Stripe event once: its id is recorded in the transaction of its effect, so a failure
    before the commit forgets both and Stripe's retry is applied; a second delivery while the
    first is in flight waits for it (the unique index) and then finds it applied."""
    correlation_id = uuid5(NAMESPACE_URL, f"stripe:{event['id']}")
    at = datetime.fromtimestamp(event["created"], UTC)
    async with deps.uow() as uow:
        if not await uow.stripe_events.first_time(event["id"], event["type"]):
            return "duplicate"
        obj: Json = event["data"]["object"]
        outcome, events, refund_owed = await _apply(uow, deps, event["type"], obj, correlation_id, at)
        await uow.commit(events)
    if refund_owed is not None:
        await refunds.issue_now(deps, refund_owed)
    return outcome


async def _apply(
    uow: UnitOfWork, deps: Deps, event_type: str, obj: Json, correlation_id: UUID, at: datetime
) -> Outcome:
    if event_type == "charge.refunded":
        if not obj.get("payment_intent"):
            return "ignored", [], None
        refunded = obj.get("amount_refunded") or 0
        events = await refunds.reconcile(uow, deps, obj["payment_intent"], refunded, correlation_id)
        return "reconciled", events, None
    registration_id = _registration_of(obj)
    if registration_id is None:
        return "ignored", [], None
    match event_type:
        case "checkout.session.completed" if obj.get("payment_status") in ("paid", "no_payment_required"):
            return await paid(uow, deps, registration_id, obj.get("payment_intent"), correlation_id, at)
        case "checkout.session.async_payment_succeeded":
            return await paid(uow, deps, registration_id, obj.get("payment_intent"), correlation_id, at)
        case "checkout.session.expired" | "checkout.session.async_payment_failed":
            released = await expired(uow, deps, registration_id, correlation_id)
            return ("ignored", [], None) if released is None else ("released", released, None)
    return "ignored", [], None
