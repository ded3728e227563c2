"""Stripe webhook events in the shapes Stripe sends, signed the way Stripe signs them.

Every object starts as the one stripe-mock serves for it (`GET /v1/checkout/sessions/...`,
`/v1/invoices/...`, `/v1/subscriptions/...`, `/v1/charges/...`, `/v1/events/...`), which stripe-mock
builds from the fixtures of Stripe's own OpenAPI document; Convene's ids and amounts are then put
into fields that object already has. A field Convene invented, or one Stripe renamed, is not
there, and `put_field` fails the test that uses it.

The served objects are kept in `stripe_objects.json` beside this file, so the unit tier needs no
stripe-mock running; `tests/test_stripe_shapes.py` fails when they differ from what stripe-mock
serves, and `.venv/bin/python -m tests.support.stripe` (with the test stack's stripe-mock at
STRIPE_API_BASE) writes them anew.

The signature is Stripe's scheme: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
keyed by the endpoint secret, which is exactly what the stripe package verifies.
"""

import copy
import hashlib
import hmac
import json
import os
import secrets
import time
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx

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


SERVED = Path(__file__).with_name("stripe_objects.json")
# What is asked of stripe-mock for each kind of object (the id in the path comes back as its id).
PATHS = {
    "checkout.session": "/v1/checkout/sessions/cs_shape",
    "invoice": "/v1/invoices/in_shape",
    "subscription": "/v1/subscriptions/sub_shape",
    "charge": "/v1/charges/ch_shape",
    "event": "/v1/events/evt_shape",
}


def served_by(stripe_mock: str) -> dict[str, Json]:
    """Each kind of object as stripe-mock at `stripe_mock` serves it now."""
    auth = {"Authorization": "Bearer sk_test_shapes"}
    served = {}
    for kind, path in PATHS.items():
        response = httpx.get(f"{stripe_mock}{path}", headers=auth, timeout=10)
        response.raise_for_status()
        served[kind] = response.json()
    return served


@cache
def _served_objects() -> dict[str, Json]:
    objects: dict[str, Json] = json.loads(SERVED.read_text())
    return objects


def put_field(obj: Json, **fields: Any) -> Json:
    """Sets fields the object already has (a dotted name reaches into one it contains)."""
    for dotted, value in fields.items():
        *parents, name = dotted.split("__")
        where = obj
        for parent in parents:
            where = where[parent]
        if name not in where:
            raise KeyError(f"Stripe's {obj.get('object')} has no field {dotted.replace('__', '.')!r}")
        where[name] = value
    return obj


def _stripe_object(kind: str) -> Json:
    return copy.deepcopy(_served_objects()[kind])


def event(event_type: str, obj: Json, created: datetime | None = None) -> Json:
    return put_field(
        _stripe_object("event"),
        id=stripe_id("evt"),
        api_version=API_VERSION,
        created=int(created.timestamp() if created else time.time()),
        data={"object": obj},
        livemode=False,
        pending_webhooks=1,
        request={"id": None, "idempotency_key": None},
        type=event_type,
    )


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
    return put_field(
        _stripe_object("checkout.session"),
        id=stripe_id("cs"),
        mode=mode,
        status=status,
        payment_status=payment_status,
        amount_total=amount,
        amount_subtotal=amount,
        currency=currency,
        client_reference_id=metadata.get("membership_id"),
        metadata=metadata,
        customer=customer or stripe_id("cus"),
        customer_email=None,
        livemode=False,
        payment_intent=stripe_id("pi") if mode == "payment" else None,
        subscription=subscription,
        invoice=None,
        url=None,
        created=int(time.time()),
    )


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
    served = _stripe_object("invoice")
    line = put_field(served["lines"]["data"][0], id=stripe_id("il"), amount=amount, currency=currency, period=period)
    return put_field(
        served,
        id=stripe_id("in"),
        status="paid",
        billing_reason=billing_reason,
        amount_due=amount,
        amount_paid=amount,
        amount_remaining=0,
        currency=currency,
        customer=stripe_id("cus"),
        livemode=False,
        parent__type="subscription_details",
        parent__quote_details=None,
        parent__subscription_details__subscription=subscription,
        parent__subscription_details__metadata=metadata,
        lines__data=[line],
        lines__has_more=False,
        period_start=period["start"],
        period_end=period["end"],
    )


def subscription(
    subscription_id: str, metadata: Json, *, status: str = "active", cancel_at_period_end: bool = False
) -> Json:
    return put_field(
        _stripe_object("subscription"),
        id=subscription_id,
        status=status,
        metadata=metadata,
        cancel_at_period_end=cancel_at_period_end,
        customer=stripe_id("cus"),
        livemode=False,
    )


def charge_refunded(payment_intent: str, amount: int, refunded: int, currency: str = "usd") -> Json:
    return put_field(
        _stripe_object("charge"),
        id=stripe_id("ch"),
        amount=amount,
        amount_refunded=refunded,
        currency=currency,
        payment_intent=payment_intent,
        refunded=refunded >= amount,
    )


if __name__ == "__main__":
    address = os.environ["STRIPE_API_BASE"]
    SERVED.write_text(json.dumps(served_by(address), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SERVED} from {address}")
