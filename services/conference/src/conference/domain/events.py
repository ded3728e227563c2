"""What can happen to a registration or a waitlist offer, as plain values. The service layer
adds the registration's facts (who, which conference, which tickets) when it turns these into
the published contract events."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class Confirmed:
    late: bool  # paid after the hold had expired, and the seats were taken again


@dataclass(frozen=True)
class HoldExpired:
    """Not paid in time: the seats go back (to the waitlist first)."""


@dataclass(frozen=True)
class Cancelled:
    refund_due_minor: int  # what the refund policy gives back; owed until Stripe has paid it
    reason: str


@dataclass(frozen=True)
class RefundIssued:
    """Stripe accepted a refund (never before: the attendee is told it is on its way)."""

    amount_minor: int
    payment_intent: str
    reason: str


RegistrationEvent = Confirmed | HoldExpired | Cancelled | RefundIssued


@dataclass(frozen=True)
class OfferMade:
    token: str  # the claim link's secret: only its hash is kept
    expires_at: datetime


@dataclass(frozen=True)
class OfferClaimed:
    ticket_type_id: UUID
    shards: list[list[Any]]  # the kept capacity units the new registration holds


@dataclass(frozen=True)
class OfferPassedOn:
    """Not claimed in time: the kept seat goes to the next person waiting, or back to sale."""

    ticket_type_id: UUID
    shards: list[list[Any]]


OfferEvent = OfferMade | OfferClaimed | OfferPassedOn
