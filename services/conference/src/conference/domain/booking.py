"""What a registration asks for, checked against the conference and priced, before anything is
written (C3, C9, C13): each attendee's tickets, their prices, and the capacity pools each ticket
takes a seat from. Plain Python, no I/O."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID, uuid4

from conference.domain.errors import RegistrationRefused
from conference.domain.model import DiscountCode, TicketKind, TicketType, priced_tickets
from conference.domain.questions import check_answers


class ConferenceForSale(Protocol):
    """The conference as a hold reads it: its columns, `ticket_types` (rows), `members` (which of
    the attendees' addresses get member prices) and `questions` (JSON text)."""

    def __getitem__(self, column: str) -> Any: ...


@dataclass(frozen=True)
class AttendeeIn:
    name: str
    email: str
    ticket_type_ids: list[UUID]
    answers: dict[str, Any]


@dataclass(frozen=True)
class AttendeeRow:
    id: UUID
    name: str
    email: str
    answers: str  # JSON
    member_pricing: bool
    member_price_offered: bool = False  # a member's address, not proven: held at the non-member price


@dataclass(frozen=True)
class BookedTicket:
    """One ticket of one attendee, priced, and the pools it takes a unit from (in that order)."""

    attendee_id: UUID
    ticket: TicketType
    price: int
    pools: list[UUID]
    kept: list[list[Any]] | None  # a waitlist claim brings the seat it kept
    member_price: int | None = None  # the price once membership is proven, while it is not


@dataclass(frozen=True)
class Booking:
    registration_id: UUID
    conference_id: UUID
    payer_name: str
    payer_email: str
    total: int
    currency: str
    hold_expires_at: datetime
    discount: DiscountCode | None
    attendees: list[AttendeeRow]
    tickets: list[BookedTicket]
    client_address: str | None = None  # where it was asked from: unpaid seats are counted per address

    @property
    def one_seat(self) -> bool:
        """One person with one paid ticket from one pool: the usual registration, written in a batch."""
        return (
            self.discount is None
            and len(self.tickets) == 1
            and len(self.tickets[0].pools) == 1
            and self.tickets[0].kept is None
            and self.tickets[0].member_price is None
        )

    def ticket_names(self) -> dict[UUID, list[str]]:
        """Each attendee's ticket type names, in the order they were asked for."""
        names: dict[UUID, list[str]] = {t.attendee_id: [] for t in self.tickets}
        for t in self.tickets:
            names[t.attendee_id].append(t.ticket.name)
        return names


def ticket_type(row: Mapping[str, Any]) -> TicketType:
    return TicketType(
        row["id"],
        row["conference_id"],
        row["name"],
        TicketKind(row["kind"]),
        row["capacity"],
        row["member_price_minor"],
        row["non_member_price_minor"],
        row["early_member_price_minor"],
        row["early_non_member_price_minor"],
        row["early_bird_until"],
    )


def book(
    conference: ConferenceForSale,
    payer_name: str,
    payer_email: str,
    attendees: list[AttendeeIn],
    now: datetime,
    discount: DiscountCode | None,
    reserved: dict[UUID, list[list[Any]]],
    complimentary: bool,
    client_address: str | None = None,
    proven: frozenset[str] = frozenset(),
) -> Booking:
    """Checks what was asked against the conference and prices every ticket; writes nothing.

    A member price needs proof (`proven`: the addresses a member signed in with). A member's
    address that is only typed is priced as a non-member's, with the member price kept beside it
    for the attendee to confirm through the link sent to that address."""
    most = conference["max_tickets_per_registration"]
    if len(attendees) > most and not complimentary:
        raise RegistrationRefused("attendees", f"at most {most} tickets per registration for this conference")
    types = {r["id"]: ticket_type(r) for r in conference["ticket_types"]}
    members = set(conference["members"])
    questions = json.loads(conference["questions"])
    attendee_rows, tickets = [], []
    for position, attendee in enumerate(attendees):
        check_answers(questions, attendee.answers, f"attendees.{position}.answers")
        chosen = [types.get(t) for t in attendee.ticket_type_ids]
        if any(t is None for t in chosen):
            raise RegistrationRefused(f"attendees.{position}.ticket_type_ids", "not a ticket type of this conference")
        chosen_types = [t for t in chosen if t is not None]
        known = attendee.email.lower() in members
        member = known and attendee.email.lower() in proven
        prices = priced_tickets(chosen_types, member=member, now=now, discount=discount)
        offered: list[int | None] = [None for _ in prices]
        if complimentary:  # an operator's comp: the seat is real, the price is nothing (C13)
            prices = [0 for _ in prices]
        elif known and not member:  # offered only where the member price is lower
            lower = priced_tickets(chosen_types, member=True, now=now, discount=discount)
            offered = list(lower) if sum(lower) < sum(prices) else offered
        attendee_id = uuid4()
        attendee_rows.append(
            AttendeeRow(
                attendee_id,
                attendee.name,
                attendee.email,
                json.dumps(attendee.answers),
                member,
                offered[0] is not None,
            )
        )
        for ticket, price, member_price in zip(chosen_types, prices, offered, strict=True):
            # A main ticket also takes a unit of the conference's own capacity, when it has one,
            # and always first: two holds never wait on each other's rows crosswise.
            whole = conference["capacity"] is not None and ticket.kind is TicketKind.MAIN
            pools = [conference["id"], ticket.id] if whole else [ticket.id]
            tickets.append(BookedTicket(attendee_id, ticket, price, pools, reserved.pop(ticket.id, None), member_price))
    return Booking(
        uuid4(),
        conference["id"],
        payer_name,
        payer_email,
        sum(t.price for t in tickets),
        conference["currency"],
        now + timedelta(minutes=conference["hold_minutes"]),
        discount,
        attendee_rows,
        tickets,
        client_address,
    )
