"""What the use cases ask of the payment provider: Stripe in production
(`adapters/stripe_gateway.py`), a fake in the unit tests."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from membership.domain.model import Level, Member


@dataclass(frozen=True)
class Checkout:
    session_id: str
    url: str


class PaymentProvider(Protocol):
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
        """A hosted checkout for `amount_minor`: a subscription when `auto_renew`, else one payment."""

    async def stop_auto_renew(self, subscription_id: str, membership_id: UUID) -> None: ...
    async def change_subscription_price(self, subscription_id: str, level: Level, membership_id: UUID) -> None: ...
    async def portal_url(self, customer_id: str) -> str: ...
