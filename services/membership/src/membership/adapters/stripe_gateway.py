"""Every call membership makes to Stripe. Each POST carries an idempotency key made of our own
ids and a digest of the parameters it sends (`convene_service.payments.idempotency_key`): a
retried call creates one object, never two, and a changed request is never refused as a reused key."""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from convene_service.payments import call_stripe, idempotency_key, stripe_client
from membership.config import MembershipSettings
from membership.domain.model import Level, Member, Term
from membership.service_layer.payment_provider import Checkout

_INTERVAL = {Term.ANNUAL: "year", Term.MONTHLY: "month"}


class StripeGateway:
    def __init__(self, settings: MembershipSettings) -> None:
        self._settings = settings
        self._client = stripe_client(settings)

    async def checkout(
        self,
        *,
        kind: str,
        membership_id: UUID,
        member: Member,
        level: Level,
        amount_minor: int,
        auto_renew: bool,
        expires_at: datetime,
        customer_id: str | None,
        extra_metadata: dict[str, str] | None = None,
    ) -> Checkout:
        """A Stripe-hosted Checkout Session: a subscription when the member chose auto-renew,
        otherwise a one-time payment. No card data ever reaches Convene."""
        metadata = {"convene_kind": kind, "membership_id": str(membership_id)} | (extra_metadata or {})
        pages = self._settings.membership_pages_url
        price: dict[str, Any] = {
            "currency": level.currency,
            "unit_amount": amount_minor,
            "product_data": {"name": f"{level.name} membership"},
        }
        params: dict[str, Any] = {
            "client_reference_id": str(membership_id),
            "metadata": metadata,
            "line_items": [{"quantity": 1, "price_data": price}],
            "expires_at": int(expires_at.timestamp()),
            # Back to the pages: an applicant to the page that waits for the webhook, a member home.
            "success_url": f"{pages}/membership/joined/{membership_id}" if kind == "join" else f"{pages}/membership/me",
            "cancel_url": f"{pages}/membership/join?level={level.id}" if kind == "join" else f"{pages}/membership/me",
        }
        if customer_id:
            params["customer"] = customer_id
        else:
            params["customer_email"] = member.email
        if auto_renew and level.term in _INTERVAL:
            price["recurring"] = {"interval": _INTERVAL[level.term]}
            params |= {"mode": "subscription", "subscription_data": {"metadata": metadata}}
        else:
            params |= {"mode": "payment", "payment_intent_data": {"metadata": metadata}}
            if not customer_id:
                params["customer_creation"] = "always"  # so the member can use the Customer Portal later
        key = idempotency_key("checkout", kind, membership_id, params=params)
        session = await call_stripe(self._client.v1.checkout.sessions.create_async, params, key)
        return Checkout(session.id, session.url or "")

    async def stop_auto_renew(self, subscription_id: str, membership_id: UUID) -> None:
        params = {"cancel_at_period_end": True}
        await call_stripe(
            lambda params, options: self._client.v1.subscriptions.update_async(subscription_id, params, options),
            params,
            idempotency_key("stop-auto-renew", membership_id, subscription_id, params=params),
        )

    async def change_subscription_price(self, subscription_id: str, level: Level, membership_id: UUID) -> None:
        """Stripe prorates the subscription itself and bills the difference on the next invoice."""
        subscription = await call_stripe(
            lambda params, options: self._client.v1.subscriptions.retrieve_async(subscription_id, params, options),
            {},
            None,
        )
        item = subscription["items"]["data"][0]
        price = {
            "currency": level.currency,
            "unit_amount": level.price_minor,
            "product": f"convene-level-{level.id}",
            "recurring": {"interval": _INTERVAL[level.term]},
        }
        params = {"items": [{"id": item["id"], "price_data": price}], "proration_behavior": "create_prorations"}
        # The price moved from is in the key: moving back to a level and then to it again within
        # Stripe's 24 hours of keys is a new request, not a replay of the first move.
        moved_from = item["price"]["id"]
        await call_stripe(
            lambda params, options: self._client.v1.subscriptions.update_async(subscription_id, params, options),
            params,
            idempotency_key("change-level", membership_id, level.id, moved_from, params=params),
        )

    async def portal_url(self, customer_id: str) -> str:
        params = {"customer": customer_id, "return_url": f"{self._settings.membership_pages_url}/membership/me"}
        # A portal link expires within minutes, so each request is its own (a replayed key would hand
        # back a dead link); the id still makes stripe-python's own retries of this call one session.
        key = idempotency_key("portal", customer_id, uuid4(), params=params)
        session = await call_stripe(self._client.v1.billing_portal.sessions.create_async, params, key)
        return str(session.url)
