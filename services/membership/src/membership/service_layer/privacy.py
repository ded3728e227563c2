"""Privacy (M10): a member's data as JSON, and erasure.

Erasure first stops automatic renewal at Stripe (with no unit of work open: nothing is erased
until Stripe said so), then pseudonymizes the member (name and address replaced, the id kept),
removes their seats, sign-in links, sessions and the published outbox rows that carried their
address, and keeps payment records, which refer to the member only by id.
`membership.member_erased` carries the digest of the address so that the other services find
theirs, and a seat the person held in another organization's membership is announced as removed
(`membership.seat_removed`) like any other, under a pseudonymous address.
"""

from typing import Any
from uuid import UUID

from convene_contracts import Event
from convene_contracts.membership import MemberErased, MemberErasedPayload, SeatPayload, SeatRemoved
from convene_contracts.privacy import email_digest, erased_address
from membership.domain.errors import NotFound
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context
from membership.service_layer.lookups import member_overview

ERASED_NAME = "Erased member"


def erased_email(member_id: UUID) -> str:
    return f"erased-{member_id}@erased.invalid"  # .invalid can never receive mail (RFC 2606)


def erased_seat_email(seat_id: UUID) -> str:
    # An event needs an address the contracts accept, which .invalid is not (convene_contracts.privacy).
    return erased_address(seat_id)


async def export(deps: Deps, member_id: UUID) -> dict[str, Any]:
    async with deps.uow() as uow:
        o = await member_overview(uow, member_id)
        seats = await uow.views.seats_of(member_id, o.member.email)
    return {
        "member": {"id": o.member.id, "name": o.member.name, "email": o.member.email},
        "memberships": [
            {
                "id": m.id,
                "level": level.name,
                "status": m.status,
                "period_start": m.period_start,
                "period_end": m.period_end,
                "auto_renew": m.auto_renew,
                "organization_name": m.organization_name,
            }
            for m, level in o.memberships
        ],
        "payments": o.payments,
        "seats": seats,
    }


async def erase(deps: Deps, ctx: Context, member_id: UUID) -> None:
    await stop_renewals(deps, member_id)
    now = deps.clock()
    async with deps.uow() as uow:
        email = await uow.members.lock_for_erasure(member_id)
        if email is None:
            raise NotFound("member")
        await uow.members.pseudonymize(member_id, ERASED_NAME, erased_email(member_id), now)
        await uow.memberships.forget_organization(member_id)
        freed = await uow.seats.remove_all_of(email)
        await uow.sessions.end_all_of(member_id)
        await uow.exports.forget_of(member_id)
        await uow.members.forget_published_events(member_id, mentioning=email)
        erased = MemberErasedPayload(member_id=member_id, erased_at=now, email_sha256=email_digest(email))
        events: list[Event] = [MemberErased(**ctx.envelope(), payload=erased)]
        # A seat in the person's own membership goes with the member_erased event; one in another
        # organization's is that organization's event, so conference stops its member price.
        events += [
            SeatRemoved(
                **ctx.envelope(),
                payload=SeatPayload(
                    member_id=s.contact_id,
                    membership_id=s.membership_id,
                    seat_id=s.seat_id,
                    email=erased_seat_email(s.seat_id),
                ),
            )
            for s in freed
            if s.contact_id != member_id
        ]
        await uow.commit(events)


async def stop_renewals(deps: Deps, member_id: UUID) -> None:
    """Stripe stops charging before anything is erased: an erased member could not be told about
    a charge, nor stop it. Stripe is asked with no unit of work open; if it fails, nothing is
    erased and the person tries again. A renewal is marked stopped only after Stripe said so."""
    async with deps.uow() as uow:
        renewing = [
            (m.id, m.stripe_subscription_id)
            for m in await uow.memberships.of_member(member_id)
            if m.auto_renew and m.stripe_subscription_id is not None
        ]
    for membership_id, subscription in renewing:
        await deps.stripe.stop_auto_renew(subscription, membership_id)
        async with deps.uow() as uow:
            membership = await uow.memberships.lock(membership_id)
            if membership is not None and membership.stripe_subscription_id == subscription and membership.auto_renew:
                membership.stop_auto_renew()
                await uow.memberships.save(membership)
            await uow.commit([])
