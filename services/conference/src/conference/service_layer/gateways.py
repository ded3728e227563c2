"""The outside world as the use cases see it: Stripe and the batching of holds that arrive
together. Each is a Protocol, so the unit tests pass fakes; adapters/ holds the real ones."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from conference.domain.booking import ConferenceForSale
from conference.domain.refund import Refund


@dataclass(frozen=True)
class Checkout:
    session_id: str
    url: str


@dataclass(frozen=True)
class OneSeatHold:
    """Everything written for one person with one ticket of pool `ticket_type_id`."""

    ticket_type_id: UUID
    conference_id: UUID
    currency: str
    registration_id: UUID
    payer_name: str
    payer_email: str
    amount_minor: int
    hold_expires_at: datetime
    attendee_id: UUID
    name: str
    email: str
    answers: str  # JSON
    member_pricing: bool
    event_id: UUID
    event_type: str
    topic: str
    message_key: str
    body: bytes
    client_address: str | None = None


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
    async def refund(self, refund: Refund) -> str:
        """Stripe's refund id, asked with the refund's idempotency key; RefundRefused when Stripe
        refuses it for good, PaymentProviderUnavailable when it did not answer."""


class Holds(Protocol):
    """Holds that arrive together share their round trips (adapters/hold_batches.py)."""

    async def read(self, conference_id: UUID, emails: list[str]) -> ConferenceForSale | None: ...
    async def write(self, hold: OneSeatHold) -> bool: ...
