"""After the hold (C5, C6, C8): Stripe Checkout opens on the first visit, Stripe's webhook events
confirm a registration (or end its hold), time releases it, and a late payment is confirmed again
or refunded. Each change runs in one unit of work with its outbox events. Holds themselves are
made in holding.py."""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from conference.domain import events as ev
from conference.domain.errors import NotPayable
from conference.domain.model import RegistrationStatus
from conference.domain.registration import Registration
from conference.service_layer import announcements, seats
from conference.service_layer.attendee_links import registration_url
from conference.service_layer.deps import Deps

log = logging.getLogger(__name__)
STRIPE_MINIMUM_CHECKOUT = timedelta(minutes=31)  # Stripe refuses sessions that expire sooner
Json = dict[str, Any]


async def open_checkout(deps: Deps, registration_id: UUID) -> str:
    """Stripe Checkout for a held registration: made on the first visit, the same one after.

    The row stays locked while Stripe answers, so two clicks never make two sessions. Stripe
    needs at least 30 minutes, so the session may outlive the hold: the hold sweeper closes it
    when the hold ends, and a payment that still lands is confirmed again or refunded (C5)."""
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
        checkout = await deps.stripe.checkout(
            registration_id,
            registration.payer_email,
            [line for line in lines if line[1] > 0],
            registration.currency,
            max(registration.hold_expires_at, now + STRIPE_MINIMUM_CHECKOUT),
            # Back from Stripe: paid, to the registration page (it waits for the webhook); not paid,
            # to the payment page, which still has the Pay button while the hold lasts.
            success_url=registration_url(deps, registration_id),
            cancel_url=registration_url(deps, registration_id, "/pay"),
        )
        registration.attach_checkout(checkout.session_id, checkout.url)
        await uow.registrations.save(registration)
        await uow.commit([])
        return checkout.url


async def confirm_payment(
    deps: Deps, registration_id: UUID, payment_intent: str | None, correlation_id: UUID, at: datetime
) -> str:
    """Stripe says it is paid. Held: confirmed. Expired: confirmed if the seats can be taken again,
    otherwise refunded in full, once (C5). Anything else: nothing more to do."""
    async with deps.uow() as uow:
        registration = await uow.registrations.get(registration_id)
        if registration is None:
            return "ignored"
        match registration.status:
            case RegistrationStatus.HELD:
                registration.confirm(at, payment_intent)
                outcome = "confirmed"
            case RegistrationStatus.EXPIRED if await uow.registrations.retake_seats(registration_id):
                registration.confirm_late(at, payment_intent)
                outcome = "confirmed late"
            case RegistrationStatus.EXPIRED if payment_intent is not None:
                registration.refund_late(at, payment_intent)
                outcome = "refunded"
            case _:
                return "ignored"
        await uow.registrations.save(registration)
        if outcome != "refunded":
            await uow.registrations.issue_ticket_codes(registration_id)
        await uow.commit(await announcements.published(uow, deps, registration, correlation_id))
    await _refund(deps, registration)
    return outcome


async def _refund(deps: Deps, registration: Registration) -> None:
    """Committed first: the refund is owed whatever Stripe answers now; the idempotency key
    (refund:<registration>) makes a retry of this call create one refund, never two."""
    for event in registration.events:
        if isinstance(event, ev.RefundIssued):
            await deps.stripe.refund(registration.id, event.payment_intent, event.amount_minor)


async def expire_hold(deps: Deps, registration_id: UUID, correlation_id: UUID) -> bool:
    """A held registration ends unpaid: its seats go back, exactly once (the status guard)."""
    async with deps.uow() as uow:
        registration = await uow.registrations.get(registration_id)
        if registration is None or registration.status is not RegistrationStatus.HELD:
            return False
        registration.expire()
        await uow.registrations.save(registration)
        offers = await seats.give_back_registration(uow, deps, registration_id, deps.clock())
        await uow.commit(offers + await announcements.published(uow, deps, registration, correlation_id))
    return True


async def release_expired_holds(deps: Deps, now: datetime) -> int:
    """Every hold past its time goes back once; its Stripe page is closed so nobody pays for it."""
    released = 0
    for row in await deps.views.holds_past(now):
        if await expire_hold(deps, row["id"], uuid4()):
            released += 1
            if row["checkout_session_id"]:
                try:
                    await deps.stripe.expire_checkout(row["checkout_session_id"])
                except Exception:  # a payment that still arrives is confirmed or refunded
                    log.warning("could not close checkout %s", row["checkout_session_id"], exc_info=True)
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
    """Each Stripe event once: the row that says it was seen is written before its effect, and
    forgotten if the effect fails so that Stripe's retry is applied."""
    if not await deps.stripe_notices.first_time(event["id"], event["type"]):
        return "duplicate"
    correlation_id = uuid5(NAMESPACE_URL, f"stripe:{event['id']}")
    at = datetime.fromtimestamp(event["created"], UTC)
    obj: Json = event["data"]["object"]
    try:
        return await _apply(deps, event["type"], obj, correlation_id, at)
    except Exception:
        # Forget the event so Stripe's retry is applied; the effects above are idempotent.
        await deps.stripe_notices.forget(event["id"])
        raise


async def _apply(deps: Deps, event_type: str, obj: Json, correlation_id: UUID, at: datetime) -> str:
    if event_type == "charge.refunded":
        if obj.get("payment_intent"):
            await deps.stripe_notices.refunded(obj["payment_intent"], obj.get("amount_refunded") or 0)
        return "reconciled"
    registration_id = _registration_of(obj)
    if registration_id is None:
        return "ignored"
    match event_type:
        case "checkout.session.completed" if obj.get("payment_status") in ("paid", "no_payment_required"):
            return await confirm_payment(deps, registration_id, obj.get("payment_intent"), correlation_id, at)
        case "checkout.session.async_payment_succeeded":
            return await confirm_payment(deps, registration_id, obj.get("payment_intent"), correlation_id, at)
        case "checkout.session.expired" | "checkout.session.async_payment_failed":
            released = await expire_hold(deps, registration_id, correlation_id)
            return "released" if released else "ignored"
    return "ignored"
