"""Membership's domain: levels, members and memberships, and the rules of their states.

Plain Python, no I/O. A membership records what happened to it in `events`; the service layer
turns those into published contract events in the same transaction as the state change.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from membership.domain import events as ev
from membership.domain.calendar import add_months, fraction_remaining
from membership.domain.errors import InvalidTransition, SeatLimitReached


class Term(StrEnum):
    ANNUAL = "annual"
    MONTHLY = "monthly"
    LIFETIME = "lifetime"


class LevelKind(StrEnum):
    INDIVIDUAL = "individual"
    ORGANIZATIONAL = "organizational"


class MembershipStatus(StrEnum):
    PENDING = "pending"  # applied, payment not confirmed yet
    ACTIVE = "active"
    PAST_DUE = "past_due"  # an automatic renewal payment failed; Stripe keeps retrying
    IN_GRACE = "in_grace"  # the period ended unpaid; still a member until the grace ends
    LAPSED = "lapsed"  # grace ended unpaid: final
    CANCELLED = "cancelled"  # ended on purpose, or the checkout was abandoned: final


S = MembershipStatus
# Where each change may start from. Anything else is refused: a late or repeated notice from
# Stripe must never move a membership backwards (a cancelled one never comes back by accident).
ALLOWED_FROM: dict[str, frozenset[MembershipStatus]] = {
    "activate": frozenset({S.PENDING}),
    "renew": frozenset({S.ACTIVE, S.PAST_DUE, S.IN_GRACE}),
    "payment_failed": frozenset({S.PENDING, S.ACTIVE, S.PAST_DUE, S.IN_GRACE}),
    "start_grace": frozenset({S.ACTIVE, S.PAST_DUE}),
    "lapse": frozenset({S.IN_GRACE}),
    "cancel": frozenset({S.PENDING, S.ACTIVE, S.PAST_DUE, S.IN_GRACE}),
    "change_level": frozenset({S.ACTIVE}),
    "manage_seats": frozenset({S.ACTIVE, S.PAST_DUE, S.IN_GRACE}),
}
CURRENT = frozenset({S.ACTIVE, S.PAST_DUE, S.IN_GRACE})  # counts as a member for pricing
# Stripe's period boundaries and ours can differ by hours (time zones, month ends) until the first
# renewal invoice sets ours to Stripe's, so "starts before the current period ends" allows a day.
BOUNDARY_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Level:
    id: UUID
    name: str
    price_minor: int
    currency: str
    term: Term
    kind: LevelKind = LevelKind.INDIVIDUAL
    seat_count: int | None = None
    description: str = ""
    retired: bool = False

    def period_end(self, start: datetime, zone: ZoneInfo | None = None) -> datetime | None:
        match self.term:
            case Term.ANNUAL:
                return add_months(start, 12, zone)
            case Term.MONTHLY:
                return add_months(start, 1, zone)
            case Term.LIFETIME:
                return None

    @property
    def renews(self) -> bool:
        return self.term is not Term.LIFETIME


@dataclass(frozen=True)
class Member:
    id: UUID
    name: str
    email: str


@dataclass(frozen=True)
class Seat:
    """One of an organizational membership's seats, held by a person the organization named."""

    id: UUID
    email: str
    name: str
    assigned_at: datetime


@dataclass(frozen=True)
class HeldSeat:
    """A seat as erasure finds it: which organization's membership, and its contact."""

    seat_id: UUID
    membership_id: UUID
    contact_id: UUID


@dataclass
class Membership:
    id: UUID
    member_id: UUID
    level_id: UUID
    status: MembershipStatus = MembershipStatus.PENDING
    period_start: datetime | None = None
    period_end: datetime | None = None
    auto_renew: bool = False
    grace_ends_at: datetime | None = None
    organization_name: str | None = None
    stripe_subscription_id: str | None = None
    events: list[ev.DomainEvent] = field(default_factory=list)

    def _require(self, change: str) -> None:
        if self.status not in ALLOWED_FROM[change]:
            raise InvalidTransition(f"cannot {change.replace('_', ' ')}: membership {self.id} is {self.status}")

    def activate(
        self,
        level: Level,
        paid_at: datetime,
        payment: ev.Money,
        *,
        paid_through: datetime | None = None,
        zone: ZoneInfo | None = None,
    ) -> None:
        """Dues arrived for a pending membership. `paid_through` is the period end Stripe billed
        for (subscriptions); otherwise the level's term decides."""
        self._require("activate")
        self.status = S.ACTIVE
        self.period_start = paid_at
        self.period_end = paid_through or level.period_end(paid_at, zone)
        self.events.append(ev.Activated(payment))

    def renew(
        self,
        level: Level,
        paid_at: datetime,
        payment: ev.Money,
        *,
        paid_through: datetime | None = None,
        zone: ZoneInfo | None = None,
    ) -> bool:
        """Dues for another period. Returns False when the payment covers nothing new (a repeated
        or out-of-order notice of an earlier period): the period only ever moves forward."""
        self._require("renew")
        assert self.period_end is not None, "a lifetime membership does not renew"
        new_end = paid_through or level.period_end(max(self.period_end, paid_at), zone)
        assert new_end is not None
        if new_end <= self.period_end:
            return False
        self.period_end = new_end
        self.status = S.ACTIVE
        self.grace_ends_at = None
        self.events.append(ev.Renewed(payment))
        return True

    def already_paid_for(self, billed_from: datetime | None) -> bool:
        """Whether a bill for the period starting `billed_from` is for a period already paid: the
        current one or an older one. The next period starts where the current one ends."""
        if billed_from is None or self.period_end is None:
            return False
        return billed_from < self.period_end - BOUNDARY_SLACK

    def payment_failed(self, payment: ev.Money, reason: str, *, billed_from: datetime | None = None) -> bool:
        """A pending application whose payment failed is over (the member can apply again); a
        failed renewal leaves the member past due while Stripe retries. A failure for a period
        already paid (a late notice of an attempt Stripe retried successfully) changes nothing:
        returns False."""
        self._require("payment_failed")
        if self.already_paid_for(billed_from):
            return False
        if self.status is S.PENDING:
            self.status = S.CANCELLED
        elif self.status is S.ACTIVE:
            self.status = S.PAST_DUE
        self.events.append(ev.PaymentFailed(payment, reason))
        return True

    def start_grace(self, now: datetime, grace: timedelta) -> None:
        self._require("start_grace")
        if self.period_end is None or now < self.period_end:
            raise InvalidTransition(f"membership {self.id} has not reached its period end")
        self.status = S.IN_GRACE
        self.grace_ends_at = self.period_end + grace
        self.events.append(ev.EnteredGrace(self.grace_ends_at))

    def lapse(self, now: datetime) -> None:
        self._require("lapse")
        if self.grace_ends_at is None or now < self.grace_ends_at:
            raise InvalidTransition(f"membership {self.id} is still in its grace period")
        self.status = S.LAPSED
        self.events.append(ev.Lapsed())

    def cancel(self, reason: str) -> None:
        self._require("cancel")
        self.status = S.CANCELLED
        self.auto_renew = False
        self.events.append(ev.Cancelled(reason))

    def stop_auto_renew(self) -> None:
        """The member keeps the paid period; nothing renews at its end."""
        self.auto_renew = False

    def change_level(self, old: Level, new: Level, now: datetime) -> int:
        """Moves to `new` for the rest of the period; returns the prorated amount due (negative: a
        credit). A level of another currency or term is a new membership, not a change."""
        self._require("change_level")
        if (new.currency, new.term) != (old.currency, old.term) or new.id == old.id:
            raise InvalidTransition("a level change keeps the currency and the term")
        due = proration(old.price_minor, new.price_minor, self.period_start, self.period_end, now)
        self.level_id = new.id
        self.events.append(ev.LevelChanged(old.id, old.name, ev.Money(due, new.currency)))
        return due

    def check_seat_available(self, level: Level, seats_in_use: int) -> None:
        self._require("manage_seats")
        if level.kind is not LevelKind.ORGANIZATIONAL or level.seat_count is None:
            raise InvalidTransition("only an organizational membership has seats")
        if seats_in_use >= level.seat_count:
            raise SeatLimitReached(f"all {level.seat_count} seats are assigned")


def proration(old_price: int, new_price: int, start: datetime | None, end: datetime | None, now: datetime) -> int:
    """What moving between prices owes for the rest of the period, in minor units (rounded half up
    towards the association). A lifetime membership has no period left to prorate: the whole
    difference is due."""
    if start is None or end is None:
        return new_price - old_price
    difference = (new_price - old_price) * fraction_remaining(start, end, now)
    return int(difference + 0.5) if difference >= 0 else -int(-difference + 0.5)
