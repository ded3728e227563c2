"""Stripe's webhook: verified on the raw body, applied once, answered quickly."""

import json
from typing import Any

import stripe
from fastapi import APIRouter, HTTPException, Request

from membership.entrypoints.http.common import DepsOf
from membership.service_layer.stripe_webhooks import apply_stripe_event

router = APIRouter(tags=["stripe"])


@router.post("/stripe/webhook", summary="Stripe events for dues (signed with the endpoint secret)")
async def stripe_webhook(request: Request, deps: DepsOf) -> dict[str, Any]:
    payload = await request.body()
    try:
        deps.stripe.verify_webhook(payload, request.headers.get("stripe-signature"))
    except stripe.SignatureVerificationError as error:
        raise HTTPException(400, f"Stripe-Signature rejected: {error.user_message or error}") from None
    except ValueError:
        raise HTTPException(400, "the body is not a Stripe event") from None
    outcome = await apply_stripe_event(deps, json.loads(payload))
    return {"received": True, "outcome": outcome}
