"""What an attendee does through their signed link: see the registration, cancel it under the
conference's refund policy (C8). Claiming a waitlist offer (C7) is a hold: holding.claim_offer."""

from typing import Any
from uuid import UUID, uuid4

from conference.domain.errors import NotFound
from conference.domain.model import RefundPolicy
from conference.domain.registration import CANCELLED_BY_ATTENDEE
from conference.service_layer import announcements, refunds, seats
from conference.service_layer.deps import Deps
from convene_delivery.correlation import correlation_or_new


async def view(deps: Deps, registration_id: UUID) -> dict[str, Any]:
    found = await deps.views.registration_for_attendee(registration_id)
    if found is None:
        raise NotFound("registration")
    row, registration, attendees = found
    facts = announcements.facts(deps, registration_id, registration, attendees)
    policy = RefundPolicy(row["full_refund_until"], row["partial_refund_until"], row["partial_refund_percent"])
    paid = row["amount_minor"] if row["status"] == "confirmed" else 0
    return facts.model_dump(mode="json") | {
        "status": row["status"],
        "hold_expires_at": row["hold_expires_at"].isoformat(),
        "refund_if_cancelled_now": policy.refund(paid - row["refunded_minor"], deps.clock()),
    }


async def cancel(deps: Deps, registration_id: UUID) -> int:
    """Cancels, gives the seats back (to the waitlist first) and owes what the policy gives, in
    one transaction; returns the refund. Stripe is asked right after (and by the refund job
    until it answers); asked again while the refund is owed, asks Stripe again."""
    now, correlation_id = deps.clock(), correlation_or_new()
    async with deps.uow() as uow:
        registration = await uow.registrations.get(registration_id)
        if registration is None:
            raise NotFound("registration")
        due = registration.cancel(now)
        events = []
        if registration.events:
            await uow.registrations.save(registration)
            events = await seats.give_back_registration(uow, deps, registration_id, now)
            events += await announcements.published(uow, deps, registration, correlation_id)
            refund = registration.owe_refund(uuid4(), CANCELLED_BY_ATTENDEE)
            if refund is not None:
                await uow.refunds.add(refund)
        await uow.commit(events)
    if due > 0:
        await refunds.issue_now(deps, registration_id)
    return due
