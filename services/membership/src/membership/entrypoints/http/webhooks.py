"""Stripe's webhook: verified on the raw body, applied once, answered quickly."""

from typing import Any

from fastapi import APIRouter, Request

from convene_service.payments import verified_event
from convene_service.responses import declared
from membership.entrypoints.http.common import DepsOf
from membership.service_layer.stripe_webhooks import apply_stripe_event

router = APIRouter(tags=["stripe"], responses=declared(400))  # 400: not signed by Stripe


@router.post("/stripe/webhook", summary="Stripe events for dues (signed with the endpoint secret)")
async def stripe_webhook(request: Request, deps: DepsOf) -> dict[str, Any]:
    event = await verified_event(request, deps.settings)
    return {"received": True, "outcome": await apply_stripe_event(deps, event)}
