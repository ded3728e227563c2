"""Stripe webhook events in the shapes Stripe sends, signed the way Stripe signs them.

The signature is Stripe's scheme: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
keyed by the endpoint secret, which is exactly what the stripe package verifies.
"""

import hashlib
import hmac
import json
import secrets
import time
from datetime import datetime
from typing import Any

Json = dict[str, Any]
API_VERSION = "2026-10-28.endive"


def stripe_id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def signed(event: Json, secret: str, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    return body, {"Stripe-Signature": sign(body, secret, timestamp), "Content-Type": "application/json"}


def event(event_type: str, obj: Json, created: datetime | None = None) -> Json:
    return {
        "id": stripe_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(created.timestamp() if created else time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def checkout_session(
    metadata: Json,
    *,
    amount: int,
    currency: str = "usd",
    mode: str = "payment",
    payment_status: str = "paid",
    subscription: str | None = None,
    customer: str | None = None,
    status: str = "complete",
) -> Json:
    return {
        "id": stripe_id("cs"),
        "object": "checkout.session",
        "mode": mode,
        "status": status,
        "payment_status": payment_status,
        "amount_total": amount,
        "amount_subtotal": amount,
        "currency": currency,
        "client_reference_id": metadata.get("membership_id"),
        "metadata": metadata,
        "customer": customer or stripe_id("cus"),
        "customer_email": None,
        "livemode": False,
        "payment_intent": stripe_id("pi") if mode == "payment" else None,
        "subscription": subscription,
        "invoice": None,
        "url": None,
        "created": int(time.time()),
    }


def invoice(
    subscription: str,
    metadata: Json,
    *,
    amount: int,
    period_start: datetime,
    period_end: datetime,
    billing_reason: str = "subscription_cycle",
    currency: str = "usd",
) -> Json:
    period = {"start": int(period_start.timestamp()), "end": int(period_end.timestamp())}
    return {
        "id": stripe_id("in"),
        "object": "invoice",
        "status": "paid",
        "billing_reason": billing_reason,
        "amount_due": amount,
        "amount_paid": amount,
        "amount_remaining": 0,
        "currency": currency,
        "customer": stripe_id("cus"),
        "livemode": False,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"subscription": subscription, "metadata": metadata},
        },
        "lines": {
            "object": "list",
            "data": [
                {"id": stripe_id("il"), "object": "line_item", "amount": amount, "currency": currency, "period": period}
            ],
            "has_more": False,
        },
        "period_start": period["start"],
        "period_end": period["end"],
    }


def subscription(
    subscription_id: str, metadata: Json, *, status: str = "active", cancel_at_period_end: bool = False
) -> Json:
    return {
        "id": subscription_id,
        "object": "subscription",
        "status": status,
        "metadata": metadata,
        "cancel_at_period_end": cancel_at_period_end,
        "customer": stripe_id("cus"),
        "livemode": False,
    }


def charge_refunded(payment_intent: str, amount: int, refunded: int, currency: str = "usd") -> Json:
    return {
        "id": stripe_id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_refunded": refunded,
        "currency": currency,
        "payment_intent": payment_intent,
        "refunded": refunded >= amount,
    }
