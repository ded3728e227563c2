"""What can happen to a membership, as plain values. The service layer adds who and which level
when it turns these into published contract events."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class Money:
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class Activated:
    payment: Money


@dataclass(frozen=True)
class Renewed:
    payment: Money


@dataclass(frozen=True)
class PaymentFailed:
    payment: Money
    reason: str


@dataclass(frozen=True)
class EnteredGrace:
    grace_ends_at: datetime


@dataclass(frozen=True)
class Lapsed:
    pass


@dataclass(frozen=True)
class Cancelled:
    reason: str


@dataclass(frozen=True)
class LevelChanged:
    previous_level_id: UUID
    previous_level_name: str
    prorated: Money  # due (positive) or credited (negative) for the rest of the period


DomainEvent = Activated | Renewed | PaymentFailed | EnteredGrace | Lapsed | Cancelled | LevelChanged
