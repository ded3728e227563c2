"""What an attendee's pages show: one registration in full (tickets, prices, what cancelling
would refund now), and every registration of one person. Reads only."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from conference.domain.model import RefundPolicy, RegistrationStatus
from conference.service_layer.attendee_links import registration_path
from conference.service_layer.deps import Deps


@dataclass(frozen=True)
class Ticket:
    name: str
    price_minor: int


@dataclass(frozen=True)
class Attendee:
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
            row["id"], Attendee(row["name"], row["email"], row["ticket_code"], row["member_pricing"], [])
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
    amount_minor: int
    currency: str
    path: str


async def of_person(deps: Deps, email: str) -> list[Summary]:
    """Registrations this address paid for or attends, newest conference first; unpaid holds
    that ran out are left out (nothing was bought). Addresses are stored in lower case."""
    rows = await deps.views.registrations_of(email.lower())
    return [
        Summary(
            r["name"],
            r["starts_on"],
            r["ends_on"],
            RegistrationStatus(r["status"]),
            r["attendees"],
            r["amount_minor"],
            r["currency"],
            registration_path(deps, r["id"]),
        )
        for r in rows
    ]
