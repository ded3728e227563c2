"""What conference's use cases need, wired once in bootstrap: the settings, the clock, the
gateways to the outside world (each a Protocol, so the unit tests pass fakes) and `uow`, the
unit-of-work factory."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from conference.adapters.hold_batches import OneSeatHold
from conference.adapters.stripe_gateway import Checkout
from conference.config import ConferenceSettings
from conference.domain.booking import ConferenceForSale
from conference.service_layer.unit_of_work import UnitOfWork, Views


def utc_now() -> datetime:
    return datetime.now(UTC)


class Payments(Protocol):
    """Stripe: Checkout for a hold, closing it when the hold ends, refunds."""

    async def checkout(
        self,
        registration_id: UUID,
        payer_email: str,
        lines: list[tuple[str, int]],
        currency: str,
        expires_at: datetime,
        success_url: str,
        cancel_url: str,
    ) -> Checkout: ...
    async def expire_checkout(self, session_id: str) -> None: ...
    async def refund(self, registration_id: UUID, payment_intent: str, amount_minor: int) -> str: ...


class Holds(Protocol):
    """Holds that arrive together share their round trips (adapters/hold_batches.py)."""

    async def read(self, conference_id: UUID, emails: list[str]) -> ConferenceForSale | None: ...
    async def write(self, hold: OneSeatHold) -> bool: ...


class StripeNotices(Protocol):
    """Which of Stripe's webhook events were seen, and the refunds Stripe reports."""

    async def first_time(self, event_id: str, event_type: str) -> bool: ...
    async def forget(self, event_id: str) -> None: ...
    async def refunded(self, payment_intent: str, amount_refunded_minor: int) -> None: ...


@dataclass(frozen=True)
class Deps:
    settings: ConferenceSettings
    stripe: Payments
    holds: Holds  # this process's reads and writes of holds arriving together
    stripe_notices: StripeNotices
    views: Views  # reads outside any transaction, one round trip each as before
    uow: Callable[[], UnitOfWork]
    clock: Callable[[], datetime] = field(default=utc_now)
