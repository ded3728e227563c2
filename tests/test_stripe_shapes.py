"""The webhook payloads of the tests are Stripe's own objects (served by stripe-mock from Stripe's
OpenAPI fixtures) with Convene's ids in them: a field Stripe does not have cannot slip in."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.support import stripe as shapes
from tests.support.stack import stripe_api_base


def test_the_kept_objects_are_what_stripe_mock_serves() -> None:
    """The objects kept beside the shapes (so the unit tier needs nothing running) are exactly what
    the stack's stripe-mock serves from Stripe's fixtures; when stripe-mock moves, rewrite them
    with `STRIPE_API_BASE=... .venv/bin/python -m tests.support.stripe`."""
    assert shapes.served_by(stripe_api_base()) == json.loads(shapes.SERVED.read_text())


def test_a_checkout_session_is_stripes_with_our_metadata() -> None:
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": "m-1"}, amount=7500)
    assert session["object"] == "checkout.session"
    assert session["metadata"] == {"convene_kind": "join", "membership_id": "m-1"}
    assert session["amount_total"] == 7500
    # Fields stripe-mock's fixture has that no test set: the object is Stripe's, not ours.
    assert {"customer_details", "expires_at", "payment_method_types"} <= session.keys()


def test_an_invoice_carries_the_period_it_bills_where_stripe_puts_it() -> None:
    start = datetime(2027, 1, 1, tzinfo=UTC)
    end = start + timedelta(days=365)
    paid = shapes.invoice("sub_x", {"membership_id": "m-1"}, amount=7500, period_start=start, period_end=end)
    assert paid["parent"]["subscription_details"] == {"subscription": "sub_x", "metadata": {"membership_id": "m-1"}}
    assert paid["lines"]["data"][0]["period"]["start"] == int(start.timestamp())
    assert "hosted_invoice_url" in paid


def test_a_field_stripe_does_not_have_is_refused() -> None:
    with pytest.raises(KeyError, match="has no field 'convene_paid'"):
        shapes.put_field(shapes.charge_refunded("pi_x", 100, 100), convene_paid=True)
