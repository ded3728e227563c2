"""Applying Stripe's webhook events to memberships (M2, M3).

One transaction per event: the Stripe event id is recorded first, so a repeated delivery stops
there; each change applies only from the states that allow it, so late or out-of-order events
cannot move a membership backwards. Payments are recorded once per Stripe object: Checkout
Sessions for one-time dues, invoices for subscriptions.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from convene_contracts import Event
from membership.domain.events import Money
from membership.domain.model import ALLOWED_FROM, Level, Membership, S
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, announce
from membership.service_layer.stripe_invoices import (
    invoice_failed,
    invoice_paid,
    subscription_deleted,
    subscription_updated,
)
from membership.service_layer.stripe_targets import Handler, Json, Stale, target
from membership.service_layer.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


async def apply_stripe_event(deps: Deps, event: Json) -> str:
    """Applies one verified Stripe event; returns what happened: 'applied', 'duplicate',
    'ignored' (nothing of ours to change) or 'stale' (about a period already settled)."""
    handler = HANDLERS.get(event["type"])
    ctx = Context(correlation_id=uuid5(NAMESPACE_URL, f"stripe:{event['id']}"))
    at = datetime.fromtimestamp(event["created"], UTC)
    async with deps.uow() as uow:
        if not await uow.payments.record_stripe_event(event["id"], event["type"]):
            return "duplicate"
        handled = [] if handler is None else await handler(uow, deps, event["data"]["object"], ctx, at)
        if isinstance(handled, Stale):
            log.info("Stripe event %s (%s) is stale: %s", event["id"], event["type"], handled.reason)
            await uow.commit([])  # the event id and any payment it carried are kept
            return "stale"
        await uow.commit(handled)
    return "applied" if handled else "ignored"


async def checkout_completed(uow: UnitOfWork, deps: Deps, session: Json, ctx: Context, at: datetime) -> list[Event]:
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return []  # a delayed payment method: async_payment_succeeded or _failed will follow
    return await checkout_paid(uow, deps, session, ctx, at)


async def checkout_paid(uow: UnitOfWork, deps: Deps, session: Json, ctx: Context, at: datetime) -> list[Event]:
    found = await target(uow, session.get("metadata"), session.get("client_reference_id"))
    if found is None:
        return []
    membership, member, level = found
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
    uow: UnitOfWork, session: Json, ctx: Context, end: Callable[[Membership, Level], object]
) -> list[Event]:
    """A checkout that will never be paid ends its pending application (and nothing else)."""
    found = await target(uow, session.get("metadata"), session.get("client_reference_id"))
    if found is None or found[0].status is not S.PENDING:
        return []
    membership, member, level = found
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


async def charge_refunded(uow: UnitOfWork, deps: Deps, charge: Json, ctx: Context, at: datetime) -> list[Event]:
    if charge.get("payment_intent"):
        await uow.payments.record_refund(charge["payment_intent"], charge.get("amount_refunded") or 0)
    return []


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
