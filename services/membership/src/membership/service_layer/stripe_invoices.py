"""Stripe's subscription notices applied to auto-renewing memberships (M3): invoices paid or
failed, and subscriptions changed or ended.

An invoice is applied by the period it bills, never by when it arrives: a failure for a period
already paid changes nothing, and a paid invoice for an old period never moves the period back
(both are answered 'stale'; the payment is still recorded, since Stripe did take it)."""

import logging
from datetime import UTC, datetime
from uuid import uuid4

from convene_contracts import Event
from membership.domain.errors import InvalidTransition
from membership.domain.events import Money
from membership.domain.model import ALLOWED_FROM, CURRENT, S
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, announce
from membership.service_layer.stripe_targets import Handled, Json, Stale, Target, target, with_parties
from membership.service_layer.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def _subscription_of(invoice: Json) -> tuple[str | None, Json]:
    """The subscription an invoice bills, in the current API shape (parent) or the older one."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription = details.get("subscription") or invoice.get("subscription")
    metadata = details.get("metadata") or invoice.get("subscription_details", {}).get("metadata") or {}
    return (subscription if isinstance(subscription, str) else None), metadata


def billed_period(invoice: Json) -> tuple[datetime | None, datetime | None]:
    """The period an invoice bills: its lines' periods (what the subscription charges for), or
    the invoice's own `period_start`/`period_end` when it carries no lines."""
    lines = (invoice.get("lines") or {}).get("data") or []
    periods = [line["period"] for line in lines if line.get("period")]
    starts = [p["start"] for p in periods] or [invoice.get("period_start")]
    ends = [p["end"] for p in periods] or [invoice.get("period_end")]
    start, end = min((s for s in starts if s), default=None), max((e for e in ends if e), default=None)
    return (
        None if start is None else datetime.fromtimestamp(start, UTC),
        None if end is None else datetime.fromtimestamp(end, UTC),
    )


async def _by_subscription(uow: UnitOfWork, subscription_id: str | None, metadata: Json) -> Target | None:
    if subscription_id is None:
        return None
    membership = await uow.memberships.lock_by_subscription(subscription_id)
    if membership is not None:
        return await with_parties(uow, membership)
    # The invoice may arrive before checkout.session.completed told us the subscription's id.
    found = await target(uow, metadata)
    if found is not None and found[0].stripe_subscription_id is None:
        found[0].stripe_subscription_id = subscription_id
        return found
    return None


async def invoice_paid(uow: UnitOfWork, deps: Deps, invoice: Json, ctx: Context, at: datetime) -> Handled:
    found = await _by_subscription(uow, *_subscription_of(invoice))
    if found is None:
        return []
    membership, member, level = found
    _, paid_through = billed_period(invoice)
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
    stale: Stale | None = None
    if membership.status is S.PENDING:
        membership.activate(level, at, payment, paid_through=paid_through, zone=deps.settings.zone)
    elif not first and membership.status in ALLOWED_FROM["renew"]:
        if not membership.renew(level, at, payment, paid_through=paid_through, zone=deps.settings.zone):
            stale = Stale(f"invoice {invoice['id']} pays for a period already paid")
    elif membership.status not in CURRENT:
        # Never revive a cancelled or lapsed membership: the money is on record for an operator.
        log.warning("invoice %s paid for %s membership %s", invoice["id"], membership.status, membership.id)
    await uow.memberships.save(membership)
    return stale or announce(membership, member, level, ctx)


async def invoice_failed(uow: UnitOfWork, deps: Deps, invoice: Json, ctx: Context, at: datetime) -> Handled:
    found = await _by_subscription(uow, *_subscription_of(invoice))
    if found is None or found[0].status not in ALLOWED_FROM["payment_failed"]:
        return []
    membership, member, level = found
    billed_from, _ = billed_period(invoice)
    amount = Money(invoice.get("amount_due") or 0, invoice.get("currency") or level.currency)
    if not membership.payment_failed(amount, "the automatic renewal payment failed", billed_from=billed_from):
        await uow.memberships.save(membership)  # a subscription id learnt from this invoice is kept
        return Stale(f"invoice {invoice['id']} bills a period already paid")
    await uow.memberships.save(membership)
    return announce(membership, member, level, ctx)


async def subscription_updated(uow: UnitOfWork, deps: Deps, sub: Json, ctx: Context, at: datetime) -> list[Event]:
    found = await _by_subscription(uow, sub.get("id"), sub.get("metadata") or {})
    if found is None or found[0].status not in CURRENT:
        return []
    membership = found[0]
    membership.auto_renew = not sub.get("cancel_at_period_end", False) and sub.get("status") != "canceled"
    await uow.memberships.save(membership)
    return []


async def subscription_deleted(uow: UnitOfWork, deps: Deps, sub: Json, ctx: Context, at: datetime) -> list[Event]:
    found = await _by_subscription(uow, sub.get("id"), sub.get("metadata") or {})
    if found is None:
        return []
    membership, member, level = found
    try:
        membership.cancel("the automatic renewal subscription ended")
    except InvalidTransition:
        return []
    await uow.memberships.save(membership)
    return announce(membership, member, level, ctx)
