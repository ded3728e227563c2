"""Applying Stripe's webhook events to memberships (M2, M3).

One transaction per event: the Stripe event id is recorded first, so a repeated delivery stops
there; each change applies only from the states that allow it, so late or out-of-order events
cannot move a membership backwards. Payments are recorded once per Stripe object: Checkout
Sessions for one-time dues, invoices for subscriptions.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from convene_contracts import Event
from membership.domain.errors import InvalidTransition
from membership.domain.events import Money
from membership.domain.model import ALLOWED_FROM, CURRENT, Level, Member, Membership, S
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, announce
from membership.service_layer.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
Json = dict[str, Any]
Target = tuple[Membership, Member, Level]
OUR_KINDS = {"join", "renewal", "level_change"}


async def apply_stripe_event(deps: Deps, event: Json) -> str:
    """Applies one verified Stripe event; returns what happened ('applied', 'duplicate', 'ignored')."""
    handler = HANDLERS.get(event["type"])
    ctx = Context(correlation_id=uuid5(NAMESPACE_URL, f"stripe:{event['id']}"))
    at = datetime.fromtimestamp(event["created"], UTC)
    async with deps.uow() as uow:
        if not await uow.payments.record_stripe_event(event["id"], event["type"]):
            return "duplicate"
        events = [] if handler is None else await handler(uow, deps, event["data"]["object"], ctx, at)
        await uow.commit(events)
    return "applied" if events else "ignored"


async def _target(uow: UnitOfWork, metadata: Json | None, reference: str | None = None) -> Target | None:
    """The membership a Stripe object is about, locked; None when it is not one of ours."""
    metadata = metadata or {}
    if metadata.get("convene_kind", "join") not in OUR_KINDS:
        return None  # e.g. a conference registration's checkout: not membership's business
    try:
        membership_id = UUID(metadata.get("membership_id") or reference or "")
    except ValueError:
        return None
    membership = await uow.memberships.lock(membership_id)
    return None if membership is None else await _with_parties(uow, membership)


async def _with_parties(uow: UnitOfWork, membership: Membership) -> Target:
    member = await uow.members.get(membership.member_id)
    level = await uow.levels.get(membership.level_id, include_retired=True)
    assert member is not None
    assert level is not None
    return membership, member, level


async def checkout_completed(uow: UnitOfWork, deps: Deps, session: Json, ctx: Context, at: datetime) -> list[Event]:
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return []  # a delayed payment method: async_payment_succeeded or _failed will follow
    return await checkout_paid(uow, deps, session, ctx, at)


async def checkout_paid(uow: UnitOfWork, deps: Deps, session: Json, ctx: Context, at: datetime) -> list[Event]:
    target = await _target(uow, session.get("metadata"), session.get("client_reference_id"))
    if target is None:
        return []
    membership, member, level = target
    if session.get("customer"):
        await uow.members.set_stripe_customer(member.id, session["customer"])
    kind = (session.get("metadata") or {}).get("convene_kind", "join")
    payment = Money(session.get("amount_total") or 0, session.get("currency") or level.currency)
    if session.get("mode") == "subscription":
        # The subscription's invoices carry its payments and periods (invoice.paid).
        membership.stripe_subscription_id = session.get("subscription")
        if membership.status is S.PENDING:
            membership.activate(level, at, payment, zone=deps.settings.zone)
        await uow.memberships.save(membership)
        return announce(membership, member, level, ctx)
    if not await uow.payments.add(
        uuid4(),
        membership.id,
        payment.amount_minor,
        payment.currency,
        "stripe",
        f"stripe:{session['id']}",
        at,
        kind,
        session.get("payment_intent"),
    ):
        return []  # this session's payment was applied already
    if kind == "join" and membership.status is S.PENDING:
        membership.activate(level, at, payment, zone=deps.settings.zone)
    elif kind == "renewal" and membership.status in ALLOWED_FROM["renew"]:
        membership.renew(level, at, payment, zone=deps.settings.zone)
    elif kind == "level_change" and membership.status in ALLOWED_FROM["change_level"]:
        new_level = await uow.levels.get(UUID(session["metadata"]["new_level_id"]), include_retired=True)
        assert new_level is not None
        membership.change_level(level, new_level, at)
        level = new_level
    else:
        log.warning(
            "payment %s for %s membership %s kept for the operators", session["id"], membership.status, membership.id
        )
        return []
    await uow.memberships.save(membership)
    return announce(membership, member, level, ctx)


async def _end_pending(
    uow: UnitOfWork, session: Json, ctx: Context, end: Callable[[Membership, Level], None]
) -> list[Event]:
    """A checkout that will never be paid ends its pending application (and nothing else)."""
    target = await _target(uow, session.get("metadata"), session.get("client_reference_id"))
    if target is None or target[0].status is not S.PENDING:
        return []
    membership, member, level = target
    end(membership, level)
    await uow.memberships.save(membership)
    return announce(membership, member, level, ctx)


async def checkout_failed(uow: UnitOfWork, deps: Deps, session: Json, ctx: Context, at: datetime) -> list[Event]:
    amount = session.get("amount_total") or 0
    return await _end_pending(
        uow,
        session,
        ctx,
        lambda m, level: m.payment_failed(Money(amount, level.currency), "the payment did not go through"),
    )


async def checkout_expired(uow: UnitOfWork, deps: Deps, session: Json, ctx: Context, at: datetime) -> list[Event]:
    return await _end_pending(uow, session, ctx, lambda m, _: m.cancel("the checkout expired before payment"))


def _subscription_of(invoice: Json) -> tuple[str | None, Json]:
    """The subscription an invoice bills, in the current API shape (parent) or the older one."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription = details.get("subscription") or invoice.get("subscription")
    metadata = details.get("metadata") or invoice.get("subscription_details", {}).get("metadata") or {}
    return (subscription if isinstance(subscription, str) else None), metadata


async def _by_subscription(uow: UnitOfWork, subscription_id: str | None, metadata: Json) -> Target | None:
    if subscription_id is None:
        return None
    membership = await uow.memberships.lock_by_subscription(subscription_id)
    if membership is not None:
        return await _with_parties(uow, membership)
    # The invoice may arrive before checkout.session.completed told us the subscription's id.
    target = await _target(uow, metadata)
    if target is not None and target[0].stripe_subscription_id is None:
        target[0].stripe_subscription_id = subscription_id
        return target
    return None


async def invoice_paid(uow: UnitOfWork, deps: Deps, invoice: Json, ctx: Context, at: datetime) -> list[Event]:
    target = await _by_subscription(uow, *_subscription_of(invoice))
    if target is None:
        return []
    membership, member, level = target
    lines = (invoice.get("lines") or {}).get("data") or []
    ends = [line["period"]["end"] for line in lines if line.get("period")]
    paid_through = datetime.fromtimestamp(max(ends), UTC) if ends else None
    payment = Money(invoice.get("amount_paid") or 0, invoice.get("currency") or level.currency)
    first = invoice.get("billing_reason") == "subscription_create"
    if not await uow.payments.add(
        uuid4(),
        membership.id,
        payment.amount_minor,
        payment.currency,
        "stripe",
        f"stripe:{invoice['id']}",
        at,
        "join" if first else "renewal",
        invoice.get("payment_intent"),
    ):
        return []
    if membership.status is S.PENDING:
        membership.activate(level, at, payment, paid_through=paid_through, zone=deps.settings.zone)
    elif not first and membership.status in ALLOWED_FROM["renew"]:
        membership.renew(level, at, payment, paid_through=paid_through, zone=deps.settings.zone)
    elif membership.status not in CURRENT:
        # Never revive a cancelled or lapsed membership: the money is on record for an operator.
        log.warning("invoice %s paid for %s membership %s", invoice["id"], membership.status, membership.id)
    await uow.memberships.save(membership)
    return announce(membership, member, level, ctx)


async def invoice_failed(uow: UnitOfWork, deps: Deps, invoice: Json, ctx: Context, at: datetime) -> list[Event]:
    target = await _by_subscription(uow, *_subscription_of(invoice))
    if target is None or target[0].status not in ALLOWED_FROM["payment_failed"]:
        return []
    membership, member, level = target
    amount = Money(invoice.get("amount_due") or 0, invoice.get("currency") or level.currency)
    membership.payment_failed(amount, "the automatic renewal payment failed")
    await uow.memberships.save(membership)
    return announce(membership, member, level, ctx)


async def subscription_updated(uow: UnitOfWork, deps: Deps, sub: Json, ctx: Context, at: datetime) -> list[Event]:
    target = await _by_subscription(uow, sub.get("id"), sub.get("metadata") or {})
    if target is None or target[0].status not in CURRENT:
        return []
    membership = target[0]
    membership.auto_renew = not sub.get("cancel_at_period_end", False) and sub.get("status") != "canceled"
    await uow.memberships.save(membership)
    return []


async def subscription_deleted(uow: UnitOfWork, deps: Deps, sub: Json, ctx: Context, at: datetime) -> list[Event]:
    target = await _by_subscription(uow, sub.get("id"), sub.get("metadata") or {})
    if target is None:
        return []
    membership, member, level = target
    try:
        membership.cancel("the automatic renewal subscription ended")
    except InvalidTransition:
        return []
    await uow.memberships.save(membership)
    return announce(membership, member, level, ctx)


async def charge_refunded(uow: UnitOfWork, deps: Deps, charge: Json, ctx: Context, at: datetime) -> list[Event]:
    if charge.get("payment_intent"):
        await uow.payments.record_refund(charge["payment_intent"], charge.get("amount_refunded") or 0)
    return []


Handler = Callable[[UnitOfWork, Deps, Json, Context, datetime], Awaitable[list[Event]]]
HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": checkout_paid,
    "checkout.session.async_payment_failed": checkout_failed,
    "checkout.session.expired": checkout_expired,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_failed,
    "customer.subscription.updated": subscription_updated,
    "customer.subscription.deleted": subscription_deleted,
    "charge.refunded": charge_refunded,
}
