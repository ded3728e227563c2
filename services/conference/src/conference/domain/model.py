"""Conference's domain: prices, the refund policy and the states of a registration. No I/O.
The registration itself, with its transitions, is in registration.py."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from conference.domain.errors import RegistrationRefused


class RegistrationStatus(StrEnum):
    HELD = "held"  # seats taken, waiting for payment until hold_expires_at
    CONFIRMED = "confirmed"
    EXPIRED = "expired"  # not paid in time: seats given back
    CANCELLED = "cancelled"


class TicketKind(StrEnum):
    MAIN = "main"
    ADDON = "addon"  # a workshop: only with a main ticket


@dataclass(frozen=True)
class TicketType:
    id: UUID
    conference_id: UUID
    name: str
    kind: TicketKind
    capacity: int
    member_price_minor: int
    non_member_price_minor: int
    early_member_price_minor: int | None = None
    early_non_member_price_minor: int | None = None
    early_bird_until: datetime | None = None

    def price(self, *, member: bool, now: datetime) -> int:
        """Member or not, early bird or not: the lowest price the attendee is entitled to."""
        early = self.early_bird_until is not None and now < self.early_bird_until
        regular = self.member_price_minor if member else self.non_member_price_minor
        early_price = self.early_member_price_minor if member else self.early_non_member_price_minor
        return min(regular, early_price) if early and early_price is not None else regular


@dataclass(frozen=True)
class DiscountCode:
    id: UUID
    code: str
    percent_off: int | None
    amount_off_minor: int | None
    valid_from: datetime | None
    valid_until: datetime | None
    ticket_type_ids: frozenset[UUID] | None  # None: every ticket type

    def check_valid(self, now: datetime) -> None:
        if (self.valid_from and now < self.valid_from) or (self.valid_until and now >= self.valid_until):
            raise RegistrationRefused("discount_code", "this code is not valid now")

    def applies_to(self, ticket_type_id: UUID) -> bool:
        return self.ticket_type_ids is None or ticket_type_id in self.ticket_type_ids

    def discounted(self, price: int) -> int:
        if self.percent_off is not None:
            return price - (price * self.percent_off + 50) // 100  # the discount rounds half up
        return max(0, price - (self.amount_off_minor or 0))


def priced_tickets(
    tickets: list[TicketType], *, member: bool, now: datetime, discount: DiscountCode | None
) -> list[int]:
    """The price of each of one attendee's tickets; an add-on needs a main ticket beside it."""
    if not any(t.kind is TicketKind.MAIN for t in tickets):
        raise RegistrationRefused("ticket_type_ids", "each attendee needs a main ticket (add-ons come with one)")
    if len({t.id for t in tickets}) != len(tickets):
        raise RegistrationRefused("ticket_type_ids", "a ticket type is listed twice for one attendee")
    prices = []
    for ticket in tickets:
        price = ticket.price(member=member, now=now)
        if discount is not None and discount.applies_to(ticket.id):
            price = discount.discounted(price)
        prices.append(price)
    return prices


@dataclass(frozen=True)
class RefundPolicy:
    """Full refund until one instant, a percentage until another, nothing after (C8)."""

    full_until: datetime | None
    partial_until: datetime | None
    partial_percent: int | None

    def refund(self, paid_minor: int, now: datetime) -> int:
        if self.full_until is not None and now < self.full_until:
            return paid_minor
        if self.partial_until is not None and now < self.partial_until and self.partial_percent:
            return paid_minor * self.partial_percent // 100  # rounds down: never more than the policy
        return 0


# Where each change of a registration may start from; anything else is refused, so a late or
# repeated notice from Stripe never moves a registration backwards.
ALLOWED_FROM: dict[str, frozenset[RegistrationStatus]] = {
    "confirm": frozenset({RegistrationStatus.HELD}),
    "confirm late": frozenset({RegistrationStatus.EXPIRED}),  # paid after the hold ended, seats taken again
    "refund late": frozenset({RegistrationStatus.EXPIRED}),  # paid after the hold ended, seats gone
    "expire": frozenset({RegistrationStatus.HELD}),
    "cancel": frozenset({RegistrationStatus.HELD, RegistrationStatus.CONFIRMED}),
}


def require(change: str, status: RegistrationStatus) -> None:
    if status not in ALLOWED_FROM[change]:
        raise RegistrationRefused("status", f"a {status} registration cannot {change}")
