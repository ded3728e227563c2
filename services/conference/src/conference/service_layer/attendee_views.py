"""What an attendee's pages show: one registration in full (tickets, prices, what cancelling
would refund now), and every registration of one person. Reads only."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from conference.domain.model import RefundPolicy, RegistrationStatus
from conference.service_layer.attendee_links import registration_path, ticket_path
from conference.service_layer.deps import Deps
from convene_contracts.privacy import is_erased_address


@dataclass(frozen=True)
class Ticket:
    name: str
    price_minor: int


@dataclass(frozen=True)
class Attendee:
    id: UUID
    name: str
    email: str
    ticket_code: str | None
    member_pricing: bool
    tickets: list[Ticket]


@dataclass(frozen=True)
class RegistrationDetails:
    id: UUID
    conference_id: UUID
    conference_name: str
    venue: str
    time_zone: str
    starts_on: date
    ends_on: date
    status: RegistrationStatus
    payer_name: str
    payer_email: str
    amount_minor: int
    currency: str
    hold_expires_at: datetime
    checkout_url: str | None
    refund_policy: RefundPolicy
    refund_if_cancelled_now: int
    refund_due_minor: int  # what cancelling gave back (owed until Stripe has paid it)
    refunded_minor: int
    confirmed_at: datetime | None  # set once paid (or free)
    cancelled_at: datetime | None
    attendees: list[Attendee]


async def details(deps: Deps, registration_id: UUID) -> RegistrationDetails | None:
    found = await deps.views.registration_details(registration_id)
    if found is None:
        return None
    r, rows = found
    attendees: dict[UUID, Attendee] = {}
    for row in rows:
        person = attendees.setdefault(
            row["id"], Attendee(row["id"], row["name"], row["email"], row["ticket_code"], row["member_pricing"], [])
        )
        person.tickets.append(Ticket(row["ticket"], row["price_minor"]))
    status = RegistrationStatus(r["status"])
    policy = RefundPolicy(r["full_refund_until"], r["partial_refund_until"], r["partial_refund_percent"])
    # The same rule `attendee.cancel` applies, asked without cancelling: only a paid registration refunds.
    paid = r["amount_minor"] - r["refunded_minor"] if status is RegistrationStatus.CONFIRMED else 0
    return RegistrationDetails(
        r["id"],
        r["conference_id"],
        r["conference_name"],
        r["venue"],
        r["time_zone"],
        r["starts_on"],
        r["ends_on"],
        status,
        r["payer_name"],
        r["payer_email"],
        r["amount_minor"],
        r["currency"],
        r["hold_expires_at"],
        r["checkout_url"],
        policy,
        policy.refund(paid, deps.clock()),
        r["refund_due_minor"],
        r["refunded_minor"],
        r["confirmed_at"],
        r["cancelled_at"],
        list(attendees.values()),
    )


@dataclass(frozen=True)
class Summary:
    """One line of "my registrations", with the signed path to its page."""

    conference_name: str
    starts_on: date
    ends_on: date
    status: RegistrationStatus
    attendees: int
    amount_minor: int | None  # None for a seat someone else paid for: the total is the payer's
    currency: str
    path: str


async def of_person(deps: Deps, email: str) -> list[Summary]:
    """Registrations this address paid for or attends, newest conference first; unpaid holds
    that ran out are left out (nothing was bought). Addresses are stored in lower case. As payer
    the person gets the group's link; as an attendee only, their own ticket's link."""
    rows = await deps.views.registrations_of(email.lower())
    return [
        Summary(
            r["name"],
            r["starts_on"],
            r["ends_on"],
            RegistrationStatus(r["status"]),
            r["attendees"] if r["paid_by_me"] else 1,
            r["amount_minor"] if r["paid_by_me"] else None,
            r["currency"],
            registration_path(deps, r["id"]) if r["paid_by_me"] else ticket_path(deps, r["my_attendee_id"]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class OwnTicket:
    """One attendee's own ticket, as their link shows it: nothing of the payer or the others."""

    attendee_id: UUID
    name: str
    conference_id: UUID
    conference_name: str
    venue: str
    starts_on: date
    ends_on: date
    status: RegistrationStatus
    ticket_code: str | None  # shown once the registration is confirmed
    ticket_types: list[str]


async def own_ticket(deps: Deps, attendee_id: UUID) -> OwnTicket | None:
    registration_id = await deps.views.registration_of_attendee(attendee_id)
    found = await details(deps, registration_id) if registration_id is not None else None
    person = next((a for a in found.attendees if a.id == attendee_id), None) if found else None
    if found is None or person is None or is_erased_address(person.email):
        return None  # an erased attendee's link opens nothing any more
    return OwnTicket(
        attendee_id,
        person.name,
        found.conference_id,
        found.conference_name,
        found.venue,
        found.starts_on,
        found.ends_on,
        found.status,
        person.ticket_code if found.status is RegistrationStatus.CONFIRMED else None,
        [t.name for t in person.tickets],
    )
