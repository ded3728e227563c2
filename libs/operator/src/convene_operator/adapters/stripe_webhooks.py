"""Plays Stripe for a demo: the `checkout.session.completed` webhook a payer's checkout ends with,
signed with the endpoint's secret as Stripe signs it.

stripe-mock answers API calls but never sends webhooks. The objects start as stripe-mock serves
them (the shapes of Stripe's own OpenAPI fixtures), with Convene's ids and amounts put into fields
they already have, as tests/support/stripe.py does for the suite."""

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import httpx

Json = dict[str, Any]


def _served(stripe_api_base: str, path: str) -> Json:
    response = httpx.get(f"{stripe_api_base}{path}", headers={"Authorization": "Bearer sk_test_demo"}, timeout=10)
    response.raise_for_status()
    served: Json = response.json()
    return served


def _id(prefix: str) -> str:
    return f"{prefix}_demo_{secrets.token_hex(12)}"


def checkout_completed(stripe_api_base: str, metadata: dict[str, str], amount: int, currency: str) -> Json:
    now = int(time.time())
    session = _served(stripe_api_base, "/v1/checkout/sessions/cs_demo") | {
        "id": _id("cs"),
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "amount_total": amount,
        "amount_subtotal": amount,
        "currency": currency,
        "client_reference_id": metadata.get("membership_id"),
        "metadata": metadata,
        "customer": _id("cus"),
        "customer_email": None,
        "livemode": False,
        "payment_intent": _id("pi"),
        "subscription": None,
        "invoice": None,
        "url": None,
        "created": now,
    }
    event: Json = _served(stripe_api_base, "/v1/events/evt_demo") | {
        "id": _id("evt"),
        "created": now,
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed",
    }
    return event


def signed(event: Json, secret: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers Stripe posts: `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256 of t.body>`."""
    body = json.dumps(event).encode()
    t = int(time.time())
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={t},v1={mac}", "Content-Type": "application/json"}
