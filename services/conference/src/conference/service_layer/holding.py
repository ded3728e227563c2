"""Holding seats (C3, C4, C5, C9, C13): a registration takes its seats at once and waits for
payment; free and complimentary ones are confirmed on the spot. Claiming a waitlist offer (C7)
is a hold of the seat the offer kept.

A rush of holds is bound by round trips (docs/benchmarks.md, B1). So a hold reads all it needs in
one statement, shared with the holds arriving at the same moment, and works out the prices. One
person with one paid ticket from one pool of seats (the usual registration) is then written by one
statement together with the others arriving at the same moment: its seat, rows and event commit
together or not at all (adapters/hold_batches.py).
Anything else (a group, a code, a conference-wide capacity, a waitlist seat, a free ticket), and a
moment when every shard with room is busy, goes through a unit of work that takes each seat in
turn and waits for a busy shard.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from conference.domain.booking import AttendeeIn, BookedTicket, Booking, book
from conference.domain.errors import RegistrationRefused, SoldOut
from conference.domain.model import DiscountCode, RegistrationStatus
from conference.domain.registration import Registration
from conference.domain.waitlist import UNKNOWN_OFFER
from conference.service_layer import announcements, fair_holds, seats
from conference.service_layer.attendee_links import registration_url
from conference.service_layer.deps import Deps
from conference.service_layer.gateways import OneSeatHold
from conference.service_layer.unit_of_work import Shards, UnitOfWork
from convene_contracts import CONFERENCE, Event
from convene_contracts import conference as contract

__all__ = ["AttendeeIn", "Held", "claim_offer", "register"]


@dataclass(frozen=True)
class Held:
    registration_id: UUID
    status: RegistrationStatus
    amount_minor: int
    currency: str
    hold_expires_at: datetime
    checkout_url: str | None
    # Members' addresses sent a link to confirm the price. Never answered to the client: the
    # answer would tell anyone who types an address whether it is a member's.
    member_price_pending: tuple[str, ...] = ()


async def register(
    deps: Deps,
    correlation_id: UUID,
    conference_id: UUID,
    payer_name: str,
    payer_email: str,
    attendees: list[AttendeeIn],
    discount_code: str | None,
    reserved: dict[UUID, Shards] | None = None,
    complimentary: bool = False,
    client_address: str | None = None,
    member_email: str | None = None,
) -> Held:
    """Holds seats for every attendee, all or nothing; the answer carries the pay link."""
    now = deps.clock()
    # Fair holds are checked only for what a visitor asks: an operator's comp and a waitlist
    # claim (a seat kept for that person) take no seat from anyone else's share.
    fair = reserved is None and not complimentary
    conference, unpaid = await asyncio.gather(
        deps.holds.read(conference_id, [a.email for a in attendees]),
        fair_holds.unpaid(deps, conference_id, client_address, payer_email, now, fair),
    )
    if conference is None:
        raise RegistrationRefused("conference_id", "no such conference")
    if conference["status"] != "open" or not (
        conference["registration_opens_at"] <= now < conference["registration_closes_at"]
    ):
        raise RegistrationRefused("conference_id", "registration is not open now")
    discount = await _discount(deps, conference_id, discount_code, now) if discount_code else None
    # The signed-in member's own address is proven; any other member's address waits for its link.
    proven = frozenset({member_email.lower()}) if member_email else frozenset()
    booking = book(
        conference,
        payer_name,
        payer_email,
        attendees,
        now,
        discount,
        dict(reserved or {}),
        complimentary,
        client_address,
        proven,
    )
    if fair:
        fair_holds.check(deps, unpaid, len(attendees), payer_email)
    if booking.total == 0:  # free and complimentary tickets need no payment (C13)
        await _write(deps, booking, None, correlation_id, now)
        return Held(
            booking.registration_id, RegistrationStatus.CONFIRMED, 0, booking.currency, booking.hold_expires_at, None
        )
    # Stripe is not asked on the hold's path: the pay link opens Checkout on the first visit
    # (payments.open_checkout), so a hold costs the database only.
    pay_link = registration_url(deps, booking.registration_id, "/checkout")
    event = announcements.held(deps, booking, conference, correlation_id, pay_link)
    offers = announcements.member_price_offers(deps, booking, conference, correlation_id)
    if not (booking.one_seat and await deps.holds.write(_one_seat(booking, event))):
        await _write(deps, booking, event, correlation_id, now, offers)
    return Held(
        booking.registration_id,
        RegistrationStatus.HELD,
        booking.total,
        booking.currency,
        booking.hold_expires_at,
        pay_link,
        tuple(o.payload.email for o in offers),
    )


def _one_seat(booking: Booking, event: contract.RegistrationHeld) -> OneSeatHold:
    """The batched write of one person with one ticket: False from it means no seat was free this
    instant (busy shards, or sold out), and nothing was written."""
    ticket, a = booking.tickets[0], booking.attendees[0]
    return OneSeatHold(
        ticket.ticket.id,
        booking.conference_id,
        booking.currency,
        booking.registration_id,
        booking.payer_name,
        booking.payer_email,
        booking.total,
        booking.hold_expires_at,
        a.id,
        a.name,
        a.email,
        a.answers,
        a.member_pricing,
        event.event_id,
        event.event_type,
        CONFERENCE,
        event.aggregate_id(),
        event.model_dump_json().encode(),
        booking.client_address,
    )


async def _write(
    deps: Deps,
    booking: Booking,
    event: contract.RegistrationHeld | None,
    correlation_id: UUID,
    now: datetime,
    offers: Sequence[Event] = (),
) -> None:
    """Every seat in turn (waiting for busy shards), the rows, then the event or, for nothing to
    pay, the confirmation: all in one transaction."""
    async with deps.uow() as uow:
        if booking.discount is not None:
            await _use(uow, booking.discount)
        shards = [t.kept if t.kept is not None else await _take(uow, t) for t in booking.tickets]
        await uow.registrations.add(booking, shards)
        events: list[Event] = [] if event is None else [event, *offers]
        if event is None:
            registration = Registration(
                booking.registration_id,
                booking.conference_id,
                RegistrationStatus.HELD,
                booking.payer_email,
                booking.total,
                booking.currency,
                booking.hold_expires_at,
            )
            registration.confirm(now, payment_intent=None)
            await uow.registrations.save(registration)
            await uow.registrations.issue_ticket_codes(registration.id)
            events = await announcements.published(uow, deps, registration, correlation_id)
        await uow.commit(events)


async def _take(uow: UnitOfWork, ticket: BookedTicket) -> Shards:
    taken: Shards = []
    for pool_id in ticket.pools:
        shard = await uow.seats.take(pool_id)
        if shard is None:
            raise SoldOut(ticket.ticket.id, ticket.ticket.name if pool_id == ticket.ticket.id else "the conference")
        taken.append([str(pool_id), shard])
    return taken


async def _discount(deps: Deps, conference_id: UUID, code: str, now: datetime) -> DiscountCode:
    discount = await deps.views.discount_code(conference_id, code.strip().upper())
    if discount is None:
        raise RegistrationRefused("discount_code", "no such code for this conference")
    discount.check_valid(now)
    return discount


async def _use(uow: UnitOfWork, discount: DiscountCode) -> None:
    if not await uow.discount_codes.use(discount):
        raise RegistrationRefused("discount_code", "this code has been used up")


async def claim_offer(deps: Deps, entry_id: UUID, token: str) -> Held:
    """The person offered a freed seat takes it: a registration holding exactly that seat."""
    now = deps.clock()
    async with deps.uow() as uow:
        entry = await uow.waitlist.get(entry_id)
        if entry is None:
            raise RegistrationRefused("token", UNKNOWN_OFFER)
        shards = entry.claim(token, now)
        await uow.waitlist.save(entry)
        conference_id = await uow.catalog.conference_of(entry.ticket_type_id)
        await uow.commit([])
    attendee = AttendeeIn(entry.name, entry.email, [entry.ticket_type_id], {})
    try:
        return await register(
            deps,
            uuid4(),
            conference_id,
            entry.name,
            entry.email,
            [attendee],
            None,
            reserved={entry.ticket_type_id: shards},
        )
    except Exception:
        async with deps.uow() as uow:  # never lose the kept seat
            await uow.commit(await seats.give_back(uow, deps, entry.ticket_type_id, shards, now))
        raise
