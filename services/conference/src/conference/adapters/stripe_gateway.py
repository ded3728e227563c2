"""Every call conference makes to Stripe, each POST with an idempotency key from our own ids."""

from datetime import datetime
from typing import Any
from uuid import UUID

import stripe

from conference.config import ConferenceSettings
from conference.domain.errors import RefundRefused
from conference.domain.refund import Refund
from conference.service_layer.gateways import Checkout
from convene_service.payments import PaymentProviderUnavailable, call_stripe, stripe_client

# Answers Stripe gives again however often it is asked (a charge refunded already, disputed, a
# key reused with other parameters); anything else (no answer, 5xx, rate limits) is tried again.
FOR_GOOD = (stripe.InvalidRequestError, stripe.CardError, stripe.IdempotencyError)


class StripeGateway:
    def __init__(self, settings: ConferenceSettings) -> None:
        self._settings = settings
        self._client = stripe_client(settings)

    async def checkout(
        self,
        registration_id: UUID,
        payer_email: str,
        lines: list[tuple[str, int]],
        currency: str,
        expires_at: datetime,
        success_url: str,
        cancel_url: str,
    ) -> Checkout:
        metadata = {"convene_kind": "registration", "registration_id": str(registration_id)}
        params: dict[str, Any] = {
            "mode": "payment",
            "client_reference_id": str(registration_id),
            "customer_email": payer_email,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {"currency": currency, "unit_amount": amount, "product_data": {"name": name}},
                }
                for name, amount in lines
            ],
            "expires_at": int(expires_at.timestamp()),
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        # The key names the registration, the session's expiry and the total: a retry of the same
        # request is one session, while a later visit (a later expiry, after an answer that never
        # came) or a new total (a member price confirmed meanwhile) is a new one.
        total = sum(amount for _, amount in lines)
        key = f"checkout:registration:{registration_id}:{params['expires_at']}:{total}"
        session = await call_stripe(self._client.v1.checkout.sessions.create_async, params, key)
        return Checkout(session.id, session.url or "")

    async def expire_checkout(self, session_id: str) -> None:
        """Closes the payment page when the hold ends, so nobody pays for seats given back."""
        await call_stripe(
            lambda params, options: self._client.v1.checkout.sessions.expire_async(session_id, params, options),
            {},
            f"expire:{session_id}",
        )

    async def refund(self, refund: Refund) -> str:
        """Stripe's refund id; RefundRefused when Stripe refuses it for good."""
        try:
            created = await call_stripe(
                self._client.v1.refunds.create_async,
                {
                    "payment_intent": refund.payment_intent,
                    "amount": refund.amount_minor,
                    "metadata": {"registration_id": str(refund.registration_id), "refund_id": str(refund.id)},
                },
                refund.idempotency_key,
            )
        except PaymentProviderUnavailable as error:
            if isinstance(error.__cause__, FOR_GOOD):
                raise RefundRefused(str(error)) from error
            raise
        return str(created.id)
