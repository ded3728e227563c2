"""What a signed-in member can do with their own memberships (M6, M7, M9). Anything that is not
theirs is 'not found', never 'forbidden': members cannot probe for others' ids."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from membership.domain.errors import Conflict, Invalid, NotFound
from membership.domain.model import ALLOWED_FROM, Membership, proration
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, announce
from membership.service_layer.lookups import Overview, member_overview, owned_membership


async def overview(deps: Deps, member_id: UUID) -> Overview:
    async with deps.uow() as uow:
        return await member_overview(uow, member_id)


async def stop_auto_renew(deps: Deps, member_id: UUID, membership_id: UUID) -> Membership:
    """The paid period runs out as usual; Stripe stops charging at its end. Stripe is asked with
    no connection or row lock held (read, release, call, then apply): a slow Stripe holds up this
    request only, never the pool or the webhooks waiting on the row."""
    async with deps.uow() as uow:
        membership, _, _ = await owned_membership(uow, member_id, membership_id, lock=False)
    subscription = membership.stripe_subscription_id
    if subscription is None or not membership.auto_renew:
        raise Conflict("this membership does not renew automatically")
    await deps.stripe.stop_auto_renew(subscription, membership.id)  # nothing is written if this fails
    async with deps.uow() as uow:
        membership, _, _ = await owned_membership(uow, member_id, membership_id)
        # Stripe will not renew this subscription; if it was ended or replaced meanwhile, the
        # webhook that said so has set auto-renew already.
        if membership.stripe_subscription_id == subscription and membership.auto_renew:
            membership.stop_auto_renew()
            await uow.memberships.save(membership)
        await uow.commit([])
    return membership


async def portal_url(deps: Deps, member_id: UUID) -> str:
    async with deps.uow() as uow:
        customer = await uow.members.stripe_customer_of(member_id)
    if customer is None:
        raise Conflict("no card on file yet: the Customer Portal opens after a first online payment")
    return await deps.stripe.portal_url(customer)


@dataclass(frozen=True)
class LevelChange:
    membership: Membership
    prorated_minor: int
    checkout_url: str | None  # an upgrade of a one-time membership is paid before it applies


async def change_level(deps: Deps, ctx: Context, member_id: UUID, membership_id: UUID, level_id: UUID) -> LevelChange:
    """M6: subscriptions are prorated by Stripe; a one-time membership pays the prorated difference
    by Checkout before it moves up, and moves down at once with the unused difference as a credit.
    Stripe is called between two units of work, with no connection or row lock held; the second
    applies the change only if the membership is still where the first found it."""
    now = deps.clock()
    async with deps.uow() as uow:
        membership, member, old = await owned_membership(uow, member_id, membership_id, lock=False)
        new = await uow.levels.get(level_id)
        if new is None:
            raise Invalid("level_id", "no current level has this id")
        customer = await uow.members.stripe_customer_of(member.id)
    if membership.status not in ALLOWED_FROM["change_level"]:
        raise Conflict(f"a {membership.status} membership cannot change level; an active one can")
    if (new.currency, new.term) != (old.currency, old.term) or new == old:
        raise Conflict("a level change keeps the currency and the term of an active membership")
    due = proration(old.price_minor, new.price_minor, membership.period_start, membership.period_end, now)
    subscription = membership.stripe_subscription_id
    if subscription:
        await deps.stripe.change_subscription_price(subscription, new, membership.id)
    elif due > 0:
        checkout = await deps.stripe.checkout(
            kind="level_change",
            membership_id=membership.id,
            member=member,
            level=new,
            amount_minor=due,
            auto_renew=False,
            customer_id=customer,
            expires_at=now + timedelta(minutes=deps.settings.checkout_expires_minutes),
            extra_metadata={"new_level_id": str(new.id)},
        )
        return LevelChange(membership, due, checkout.url)  # applies when Stripe says it was paid
    async with deps.uow() as uow:
        membership, member, current = await owned_membership(uow, member_id, membership_id)
        moved = current.id != old.id or membership.stripe_subscription_id != subscription
        if moved or membership.status not in ALLOWED_FROM["change_level"]:
            raise Conflict("the membership changed while its level was being changed; look again")
        membership.change_level(old, new, now)
        await uow.memberships.save(membership)
        await uow.commit(announce(membership, member, new, ctx))
    return LevelChange(membership, due, None)


@dataclass(frozen=True)
class Receipt:
    """A dues receipt (M7): what was paid, when, how, for which membership, to whom."""

    number: str
    association: str
    member_name: str
    member_email: str
    level_name: str
    amount_minor: int
    currency: str
    refunded_minor: int
    method: str
    reference: str
    paid_at: datetime

    def as_text(self) -> str:
        amount = f"{self.currency.upper()} {self.amount_minor / 100:,.2f}"
        lines = [
            f"{self.association} - receipt {self.number}",
            f"Received from: {self.member_name} <{self.member_email}>",
            f"For: {self.level_name} membership dues",
            f"Amount: {amount}",
            f"Paid on: {self.paid_at.date().isoformat()} by {self.method.replace('_', ' ')} (ref. {self.reference})",
        ]
        if self.refunded_minor:
            lines.append(f"Refunded: {self.currency.upper()} {self.refunded_minor / 100:,.2f}")
        return "\n".join(lines) + "\n"


async def receipt(deps: Deps, member_id: UUID, payment_id: UUID) -> Receipt:
    o = await overview(deps, member_id)
    found = next((p for p in o.payments if p["id"] == payment_id), None)
    if found is None:
        raise NotFound("payment")
    return Receipt(
        number=str(payment_id).split("-")[0].upper(),
        association=deps.settings.association_name,
        member_name=o.member.name,
        member_email=o.member.email,
        level_name=found["level_name"],
        amount_minor=found["amount_minor"],
        currency=found["currency"],
        refunded_minor=found["refunded_minor"],
        method=found["method"],
        reference=found["reference"],
        paid_at=found["paid_at"],
    )
