"""Stripe plumbing the paying services share: the async client, calls that carry idempotency
keys, and webhooks verified on the raw body (400, naming the problem, when they are not Stripe's)."""

import json
from typing import Any, Protocol

import stripe
from fastapi import HTTPException, Request


class PaymentProviderUnavailable(Exception):
    """Stripe could not be reached or refused the request; nothing was charged."""


class StripeSettings(Protocol):
    @property
    def stripe_secret_key(self) -> str: ...
    @property
    def stripe_webhook_secret(self) -> str: ...
    @property
    def stripe_api_base(self) -> str | None: ...
    @property
    def stripe_webhook_tolerance_seconds(self) -> int: ...


def stripe_client(settings: StripeSettings) -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.stripe_secret_key,
        base_addresses={"api": settings.stripe_api_base} if settings.stripe_api_base else None,
        http_client=stripe.HTTPXClient(allow_sync_methods=False),
        max_network_retries=2,
    )


async def call_stripe(method: Any, params: dict[str, Any], idempotency_key: str | None) -> Any:
    """Every POST gets a key made of our own ids, so a retried call creates one object."""
    options = {"idempotency_key": idempotency_key} if idempotency_key else {}
    try:
        return await method(params, options)
    except stripe.StripeError as error:
        raise PaymentProviderUnavailable(str(error.user_message or error)) from error


async def verified_event(request: Request, settings: StripeSettings) -> dict[str, Any]:
    """The webhook's event, once its Stripe-Signature checks out against the raw body."""
    payload = await request.body()
    try:
        stripe.Webhook.construct_event(
            payload,
            request.headers.get("stripe-signature"),
            settings.stripe_webhook_secret,
            settings.stripe_webhook_tolerance_seconds,
        )
    except stripe.SignatureVerificationError as error:
        raise HTTPException(400, f"Stripe-Signature rejected: {error.user_message or error}") from None
    except ValueError:
        raise HTTPException(400, "the body is not a Stripe event") from None
    event: dict[str, Any] = json.loads(payload)
    return event
