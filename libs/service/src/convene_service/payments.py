"""Stripe plumbing the paying services share: the async client with an explicit timeout and
retry budget, calls that carry idempotency keys, and webhooks verified on the raw body (400,
naming the problem, when they are not Stripe's)."""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import stripe
from fastapi import HTTPException, Request
from pydantic import Field

from convene_service.settings import ServiceSettings


class PaymentProviderUnavailable(Exception):
    """Stripe could not be reached or refused the request; nothing was charged."""


# Without a timeout stripe-python waits 80 s per attempt; a request that waits on Stripe should
# end with a clear 502 well before a member gives up on the page.
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_NETWORK_RETRIES = 2


class StripeSettings(ServiceSettings):
    """The Stripe account of a paying service (membership, conference): one definition of its
    settings, mixed into each service's settings class. A ServiceSettings itself, so its fields
    come after the shared ones and are checked against CONVENE_ENVIRONMENT like them."""

    stripe_secret_key: str = Field(pattern=r"^sk_(test|live)_", description="Stripe secret API key.")
    stripe_webhook_secret: str = Field(pattern=r"^whsec_", description="Signing secret of the webhook endpoint.")
    stripe_api_base: str | None = Field(default=None, description="Override Stripe's API address (stripe-mock).")
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    stripe_timeout_seconds: float = Field(
        default=DEFAULT_TIMEOUT_SECONDS, gt=0, le=80, description="Longest wait for one Stripe attempt."
    )
    stripe_max_network_retries: int = Field(
        default=DEFAULT_MAX_NETWORK_RETRIES, ge=0, le=5, description="Retries of a timed-out or failed Stripe call."
    )


def stripe_client(settings: StripeSettings) -> stripe.StripeClient:
    """One attempt waits at most STRIPE_TIMEOUT_SECONDS (connect, read, write, each); a timed-out
    or refused attempt is retried STRIPE_MAX_NETWORK_RETRIES times with Stripe's backoff (0.5 s,
    doubling), under the same idempotency key, so a retry never creates a second object."""
    return stripe.StripeClient(
        settings.stripe_secret_key,
        base_addresses={"api": settings.stripe_api_base} if settings.stripe_api_base else None,
        http_client=stripe.HTTPXClient(timeout=settings.stripe_timeout_seconds, allow_sync_methods=False),
        max_network_retries=settings.stripe_max_network_retries,
    )


def idempotency_key(purpose: str, *ids: object, params: Mapping[str, Any]) -> str:
    """`<purpose>:<our ids>:<digest of the parameters>`. The same request retried is the same key,
    so Stripe answers it with the object it made the first time; a request whose parameters
    changed (a new price, a new expiry) is a new key, never one Stripe refuses as reused."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:24]
    return ":".join([purpose, *(str(part) for part in ids), digest])


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
