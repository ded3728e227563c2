"""Membership's domain: levels, members and memberships. Plain Python, no I/O."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from membership.domain.calendar import add_months


class Term(StrEnum):
    ANNUAL = "annual"
    MONTHLY = "monthly"
    LIFETIME = "lifetime"


class MembershipStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"


class InvalidTransition(Exception):
    """The membership is not in a state that allows this change."""


@dataclass(frozen=True)
class Level:
    id: UUID
    name: str
    price_minor: int
    currency: str
    term: Term

    def period_end(self, start: datetime) -> datetime | None:
        match self.term:
            case Term.ANNUAL:
                return add_months(start, 12)
            case Term.MONTHLY:
                return add_months(start, 1)
            case Term.LIFETIME:
                return None


@dataclass(frozen=True)
class Member:
    id: UUID
    name: str
    email: str


@dataclass(frozen=True)
class Activated:
    """Domain event: dues were paid and the membership runs from `period_start`."""

    membership_id: UUID
    amount_minor: int
    currency: str


@dataclass
class Membership:
    id: UUID
    member_id: UUID
    level_id: UUID
    status: MembershipStatus = MembershipStatus.PENDING
    period_start: datetime | None = None
    period_end: datetime | None = None
    auto_renew: bool = False
    events: list[Activated] = field(default_factory=list)

    def activate(self, level: Level, paid_at: datetime, amount_minor: int, currency: str) -> None:
        """Dues arrived. Only a pending membership activates: a repeat payment notice changes nothing."""
        if self.status is not MembershipStatus.PENDING:
            raise InvalidTransition(f"membership {self.id} is {self.status}, not pending")
        self.status = MembershipStatus.ACTIVE
        self.period_start = paid_at
        self.period_end = level.period_end(paid_at)
        self.events.append(Activated(self.id, amount_minor, currency))
