"""Applying Stripe's webhook events to registrations (C5, C8): each Stripe event once."""

from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from conference.domain.model import RegistrationStatus
from conference.service_layer.deps import Deps
from conference.service_layer.registration import confirm_payment, release

Json = dict[str, Any]


def _registration_of(session: Json) -> UUID | None:
    metadata = session.get("metadata") or {}
    if metadata.get("convene_kind") != "registration":
        return None  # dues, or anything else: not conference's business
    try:
        return UUID(metadata.get("registration_id") or session.get("client_reference_id") or "")
    except ValueError:
        return None


async def apply_stripe_event(deps: Deps, event: Json) -> str:
    async with deps.pool.acquire() as conn:
        first = await conn.fetchval(
            "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
            event["id"],
            event["type"],
        )
    if not first:
        return "duplicate"
    correlation_id = uuid5(NAMESPACE_URL, f"stripe:{event['id']}")
    at = datetime.fromtimestamp(event["created"], UTC)
    obj: Json = event["data"]["object"]
    try:
        return await _apply(deps, event["type"], obj, correlation_id, at)
    except Exception:
        # Forget the event so Stripe's retry is applied; the effects above are idempotent.
        await deps.pool.execute("DELETE FROM stripe_events WHERE id = $1", event["id"])
        raise


async def _apply(deps: Deps, event_type: str, obj: Json, correlation_id: UUID, at: datetime) -> str:
    if event_type == "charge.refunded":
        if obj.get("payment_intent"):
            await deps.pool.execute(
                "UPDATE registrations SET refunded_minor = greatest(refunded_minor, $2) WHERE payment_intent = $1",
                obj["payment_intent"],
                obj.get("amount_refunded") or 0,
            )
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
            released = await release(deps, registration_id, RegistrationStatus.EXPIRED, correlation_id)
            return "released" if released else "ignored"
    return "ignored"
