"""A registration's domain events as the contract events conference publishes, with the facts
they carry (who, which conference, which tickets, the manage link)."""

from typing import Any
from uuid import UUID

from conference.domain import events as ev
from conference.domain.booking import Booking, ConferenceForSale
from conference.domain.registration import Registration
from conference.service_layer.attendee_links import HasSettings, member_price_url, registration_url, ticket_url
from conference.service_layer.unit_of_work import Row, UnitOfWork
from convene_contracts import Event
from convene_contracts import conference as contract

PRODUCER = "conference"


def facts(
    links: HasSettings, registration_id: UUID, registration: Row, attendees: list[Row]
) -> contract.RegistrationFacts:
    return contract.RegistrationFacts(
        registration_id=registration_id,
        conference_id=registration["conference_id"],
        conference_name=registration["conference_name"],
        payer_name=registration["payer_name"],
        payer_email=registration["payer_email"],
        amount_minor=registration["amount_minor"],
        currency=registration["currency"],
        manage_url=registration_url(links, registration_id),
        starts_on=registration["starts_on"],
        ends_on=registration["ends_on"],
        venue=registration["venue"] or None,
        attendees=[
            contract.AttendeeTicket(
                attendee_id=a["id"],
                name=a["name"],
                email=a["email"],
                ticket_types=list(a["types"]),
                ticket_code=a["ticket_code"],
                ticket_url=ticket_url(links, a["id"]),
            )
            for a in attendees
        ],
    )


async def published(
    uow: UnitOfWork, links: HasSettings, registration: Registration, correlation_id: UUID
) -> list[Event]:
    """The contract events for what `registration` recorded, read with its facts as they are now."""
    if not registration.events:
        return []
    known = facts(links, registration.id, *await uow.registrations.facts(registration.id))
    return [_contract_event(e, known, correlation_id) for e in registration.events]


def _contract_event(event: ev.RegistrationEvent, known: contract.RegistrationFacts, correlation_id: UUID) -> Event:
    match event:
        case ev.Confirmed():
            return contract.RegistrationConfirmed(producer=PRODUCER, correlation_id=correlation_id, payload=known)
        case ev.HoldExpired():
            return contract.HoldExpired(producer=PRODUCER, correlation_id=correlation_id, payload=known)
        case ev.Cancelled(refund_due_minor=due, reason=reason):
            payload: Any = contract.RegistrationCancelledPayload(**known.model_dump(), refund_minor=due, reason=reason)
            return contract.RegistrationCancelled(producer=PRODUCER, correlation_id=correlation_id, payload=payload)
        case ev.RefundIssued(amount_minor=amount, reason=reason):
            refund = contract.RefundIssuedPayload(**known.model_dump(), refund_minor=amount, reason=reason)
            return contract.RefundIssued(producer=PRODUCER, correlation_id=correlation_id, payload=refund)


def held(
    links: HasSettings, booking: Booking, conference: ConferenceForSale, correlation_id: UUID, pay_link: str
) -> contract.RegistrationHeld:
    names = booking.ticket_names()
    return contract.RegistrationHeld(
        producer=PRODUCER,
        correlation_id=correlation_id,
        payload=contract.RegistrationHeldPayload(
            registration_id=booking.registration_id,
            conference_id=conference["id"],
            conference_name=conference["name"],
            payer_name=booking.payer_name,
            payer_email=booking.payer_email,
            attendees=[
                contract.AttendeeTicket(
                    attendee_id=a.id,
                    name=a.name,
                    email=a.email,
                    ticket_types=names[a.id],
                    ticket_url=ticket_url(links, a.id),
                )
                for a in booking.attendees
            ],
            amount_minor=booking.total,
            currency=booking.currency,
            manage_url=registration_url(links, booking.registration_id),
            starts_on=conference["starts_on"],
            ends_on=conference["ends_on"],
            venue=conference["venue"] or None,
            hold_expires_at=booking.hold_expires_at,
            checkout_url=pay_link,
        ),
    )


def member_price_offers(
    links: HasSettings, booking: Booking, conference: ConferenceForSale, correlation_id: UUID
) -> list[contract.MemberPriceOffered]:
    """One to each member's address that was typed without proof: the link that confirms it."""
    offers = []
    for a in (a for a in booking.attendees if a.member_price_offered):
        mine = [t for t in booking.tickets if t.attendee_id == a.id]
        payload = contract.MemberPriceOfferedPayload(
            registration_id=booking.registration_id,
            attendee_id=a.id,
            conference_id=conference["id"],
            conference_name=conference["name"],
            name=a.name,
            email=a.email,
            amount_minor=sum(t.price for t in mine),
            member_amount_minor=sum(t.price if t.member_price is None else t.member_price for t in mine),
            currency=booking.currency,
            confirm_url=member_price_url(links, a.id),
            hold_expires_at=booking.hold_expires_at,
        )
        offers.append(contract.MemberPriceOffered(producer=PRODUCER, correlation_id=correlation_id, payload=payload))
    return offers
