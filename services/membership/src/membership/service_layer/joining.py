"""Joining and paying dues: online through Stripe Checkout (M2), by hand (M4 renewal), or
offline (M11). A person may hold several memberships (say, individual and an agency seat)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from convene_contracts import Event
from convene_contracts.membership import MemberJoined, MemberJoinedPayload
from membership.domain.errors import Conflict, Invalid
from membership.domain.events import Money
from membership.domain.model import CURRENT, Level, LevelKind, Member, Membership, MembershipStatus
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, announce, facts
from membership.service_layer.lookups import owned_membership


@dataclass(frozen=True)
class Joined:
    membership: Membership
    checkout_url: str | None  # None when the level is free and the membership is active already


async def join(
    deps: Deps, ctx: Context, *, name: str, email: str, level_id: UUID, auto_renew: bool, organization_name: str | None
) -> Joined:
    """A public application: a pending membership and a Checkout Session for its dues."""
    now = deps.clock()
    async with deps.uow() as uow:
        level = await uow.levels.get(level_id)
        if level is None:
            raise Invalid("level_id", "no current level has this id")
        if level.kind is LevelKind.ORGANIZATIONAL and not organization_name:
            raise Invalid("organization_name", "an organizational level needs the organization's name")
        member = await uow.members.by_email(email)
        if member is None:
            member = Member(uuid4(), name, email)
            await uow.members.add(member)
        membership = Membership(
            uuid4(), member.id, level.id, auto_renew=auto_renew and level.renews, organization_name=organization_name
        )
        events: list[Event] = [
            MemberJoined(
                **ctx.envelope(),
                payload=MemberJoinedPayload(
                    **facts(membership, member, level),
                    amount_minor=level.price_minor,
                    currency=level.currency,
                    auto_renew=membership.auto_renew,
                    organization_name=organization_name,
                ),
            )
        ]
        if level.price_minor == 0:  # free levels need no payment
            membership.activate(level, now, Money(0, level.currency), zone=deps.settings.zone)
            events += announce(membership, member, level, ctx)
        await uow.memberships.add(membership)
        customer_id = await uow.members.stripe_customer_of(member.id)
        await uow.commit(events)
    if membership.status is MembershipStatus.ACTIVE:
        return Joined(membership, None)
    # Outside the transaction: no database lock is held while Stripe answers. If this call fails
    # the application stays pending (and harmless); applying again starts afresh.
    checkout = await deps.stripe.checkout(
        kind="join",
        membership_id=membership.id,
        member=member,
        level=level,
        amount_minor=level.price_minor,
        auto_renew=membership.auto_renew,
        customer_id=customer_id,
        expires_at=_checkout_expiry(deps, now),
    )
    async with deps.uow() as uow:
        await uow.memberships.set_checkout_session(membership.id, checkout.session_id)
        await uow.commit([])
    return Joined(membership, checkout.url)


async def application(deps: Deps, membership_id: UUID) -> tuple[Membership, Level] | None:
    """A membership and its level by id alone: the page Stripe sends an applicant back to shows
    its status (the id, a random UUID, is the only key to it; nothing personal is shown)."""
    async with deps.uow() as uow:
        membership = await uow.memberships.get(membership_id)
        if membership is None:
            return None
        level = await uow.levels.get(membership.level_id, include_retired=True)
    assert level is not None
    return membership, level


async def start_renewal(deps: Deps, member_id: UUID, membership_id: UUID) -> str:
    """Manual renewal (M4): a one-time Checkout for the next period at the level's current price."""
    async with deps.uow() as uow:
        membership, member, level = await owned_membership(uow, member_id, membership_id)
        if membership.status not in CURRENT or not level.renews:
            raise Conflict(f"a {membership.status} {level.term} membership cannot be renewed")
        if membership.auto_renew:
            raise Conflict("this membership renews automatically")
        customer_id = await uow.members.stripe_customer_of(member.id)
    checkout = await deps.stripe.checkout(
        kind="renewal",
        membership_id=membership.id,
        member=member,
        level=level,
        amount_minor=level.price_minor,
        auto_renew=False,
        customer_id=customer_id,
        expires_at=_checkout_expiry(deps, deps.clock()),
        extra_metadata={"period_end": membership.period_end.isoformat() if membership.period_end else ""},
    )
    return checkout.url


async def record_offline_payment(
    deps: Deps,
    ctx: Context,
    *,
    name: str,
    email: str,
    level_id: UUID,
    amount_minor: int,
    currency: str,
    method: str,
    reference: str,
    paid_at: datetime,
    membership_id: UUID | None,
) -> Membership:
    """An operator records a cheque, transfer or cash (M11): a new membership activates, or the
    given one activates (pending) or renews (current), exactly as if paid online."""
    async with deps.uow() as uow:
        level = await uow.levels.get(level_id, include_retired=membership_id is not None)
        if level is None:
            raise Invalid("level_id", "no current level has this id")
        if currency != level.currency:
            raise Invalid("currency", f"the level is priced in {level.currency}")
        if await uow.payments.reference_exists(reference):
            raise Conflict("a payment with this reference was recorded already", field="reference")
        if membership_id is None:
            member = await uow.members.by_email(email)
            if member is None:
                member = Member(uuid4(), name, email)
                await uow.members.add(member)
            membership = Membership(uuid4(), member.id, level.id)
            await uow.memberships.add(membership)
        else:
            found = await uow.memberships.lock(membership_id)
            if found is None or found.level_id != level.id:
                raise Invalid("membership_id", "no membership at this level has this id")
            membership, found_member = found, await uow.members.get(found.member_id)
            assert found_member is not None
            member = found_member
        payment, kind = Money(amount_minor, currency), "join"
        if membership.status is MembershipStatus.PENDING:
            membership.activate(level, paid_at, payment, zone=deps.settings.zone)
        elif membership.status in CURRENT and level.renews:
            membership.renew(level, paid_at, payment, zone=deps.settings.zone)
            kind = "renewal"
        else:
            raise Conflict(f"a {membership.status} membership cannot take this payment")
        await uow.memberships.save(membership)
        await uow.payments.add(uuid4(), membership.id, amount_minor, currency, method, reference, paid_at, kind)
        await uow.commit(announce(membership, member, level, ctx))
    return membership


def _checkout_expiry(deps: Deps, now: datetime) -> datetime:
    return now + timedelta(minutes=deps.settings.checkout_expires_minutes)
