"""Holding seats (C3, C4, C5, C9, C13): a registration takes its seats at once and waits for
payment; free and complimentary ones are confirmed on the spot.

A rush of holds is bound by round trips (docs/benchmarks.md, B1). So a hold reads all it needs in
one statement, shared with the holds arriving at the same moment, and works out the prices. One
person with one paid ticket from one pool of seats (the usual registration) is then written by one
statement together with the others arriving at the same moment: its seat, rows and event commit
together or not at all (hold_batches.py).
Anything else (a group, a code, a conference-wide capacity, a waitlist seat, a free ticket), and a
moment when every shard with room is busy, goes through a transaction that takes each seat in
turn and waits for a busy shard.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from conference.domain.model import (
    DiscountCode,
    RegistrationRefused,
    RegistrationStatus,
    SoldOut,
    TicketKind,
    TicketType,
    priced_tickets,
)
from conference.domain.questions import check_answers
from conference.service_layer.attendee_links import registration_url
from conference.service_layer.deps import Deps
from conference.service_layer.hold_batches import OneSeatHold
from conference.service_layer.registration import PRODUCER, confirm
from convene_contracts import CONFERENCE
from convene_contracts import conference as contract
from convene_delivery.outbox import add_to_outbox
from convene_delivery.postgres import Connection


@dataclass(frozen=True)
class AttendeeIn:
    name: str
    email: str
    ticket_type_ids: list[UUID]
    answers: dict[str, Any]


@dataclass(frozen=True)
class Held:
    registration_id: UUID
    status: RegistrationStatus
    amount_minor: int
    currency: str
    hold_expires_at: datetime
    checkout_url: str | None


@dataclass(frozen=True)
class _Ticket:
    """One ticket of one attendee, priced, and the pools it takes a unit from (in that order)."""

    attendee_id: UUID
    ticket: TicketType
    price: int
    pools: list[UUID]
    kept: list[list[Any]] | None  # a waitlist claim brings the seat it kept


@dataclass(frozen=True)
class _Plan:
    registration_id: UUID
    payer_name: str
    payer_email: str
    total: int
    currency: str
    hold_expires_at: datetime
    discount: DiscountCode | None
    attendees: list[tuple[UUID, str, str, str, bool]]  # id, name, email, answers (JSON), member pricing
    tickets: list[_Ticket]


# The registration ($1-$8), its attendees ($9-$13, one array per column) and tickets ($14-$17).
_WRITE = """
    WITH registration AS (
        INSERT INTO registrations (id, conference_id, status, payer_name, payer_email, amount_minor, currency,
                                   discount_code_id, hold_expires_at)
        VALUES ($1, $2, 'held', $3, $4, $5, $6, $7, $8)
    ), attendee AS (
        INSERT INTO attendees (id, registration_id, name, email, answers, member_pricing)
        SELECT a.id, $1, a.name, a.email, a.answers, a.member
        FROM unnest($9::uuid[], $10::text[], $11::text[], $12::jsonb[], $13::boolean[])
             AS a(id, name, email, answers, member)
    )
    INSERT INTO attendee_tickets (attendee_id, ticket_type_id, price_minor, shards)
    SELECT * FROM unnest($14::uuid[], $15::uuid[], $16::bigint[], $17::jsonb[])"""


def _ticket_type(row: Any) -> TicketType:
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


async def register(
    deps: Deps,
    correlation_id: UUID,
    conference_id: UUID,
    payer_name: str,
    payer_email: str,
    attendees: list[AttendeeIn],
    discount_code: str | None,
    reserved: dict[UUID, list[list[Any]]] | None = None,
    complimentary: bool = False,
) -> Held:
    """Holds seats for every attendee, all or nothing; the answer carries the pay link."""
    now = deps.clock()
    conference = await deps.holds.read(conference_id, [a.email for a in attendees])
    if conference is None:
        raise RegistrationRefused("conference_id", "no such conference")
    if conference["status"] != "open" or not (
        conference["registration_opens_at"] <= now < conference["registration_closes_at"]
    ):
        raise RegistrationRefused("conference_id", "registration is not open now")
    discount = await _discount(deps, conference_id, discount_code, now) if discount_code else None
    plan = _plan(conference, payer_name, payer_email, attendees, now, discount, dict(reserved or {}), complimentary)
    if plan.total == 0:  # free and complimentary tickets need no payment (C13)
        await _write(deps, plan, conference_id, None, correlation_id, now)
        return Held(plan.registration_id, RegistrationStatus.CONFIRMED, 0, plan.currency, plan.hold_expires_at, None)
    # Stripe is not asked on the hold's path: the pay link opens Checkout on the first visit
    # (registration.open_checkout), so a hold costs the database only.
    pay_link = registration_url(deps, plan.registration_id, "/checkout")
    event = _held_event(deps, plan, conference, attendees, correlation_id, pay_link)
    if not (_fits_a_batch(plan) and await _write_in_batch(deps, plan, conference_id, event)):
        await _write(deps, plan, conference_id, event, correlation_id, now)
    return Held(plan.registration_id, RegistrationStatus.HELD, plan.total, plan.currency, plan.hold_expires_at,
                pay_link)  # fmt: skip


def _plan(
    conference: Any,
    payer_name: str,
    payer_email: str,
    attendees: list[AttendeeIn],
    now: datetime,
    discount: DiscountCode | None,
    reserved: dict[UUID, list[list[Any]]],
    complimentary: bool,
) -> _Plan:
    """Checks what was asked against the conference and prices every ticket; writes nothing."""
    types = {r["id"]: _ticket_type(r) for r in conference["ticket_types"]}
    members = set(conference["members"])
    questions = json.loads(conference["questions"])
    attendee_rows, tickets = [], []
    for position, attendee in enumerate(attendees):
        check_answers(questions, attendee.answers, f"attendees.{position}.answers")
        chosen = [types.get(t) for t in attendee.ticket_type_ids]
        if any(t is None for t in chosen):
            raise RegistrationRefused(f"attendees.{position}.ticket_type_ids", "not a ticket type of this conference")
        chosen_types = [t for t in chosen if t is not None]
        member = attendee.email.lower() in members
        prices = priced_tickets(chosen_types, member=member, now=now, discount=discount)
        if complimentary:  # an operator's comp: the seat is real, the price is nothing (C13)
            prices = [0 for _ in prices]
        attendee_id = uuid4()
        attendee_rows.append((attendee_id, attendee.name, attendee.email, json.dumps(attendee.answers), member))
        for ticket, price in zip(chosen_types, prices, strict=True):
            # A main ticket also takes a unit of the conference's own capacity, when it has one,
            # and always first: two holds never wait on each other's rows crosswise.
            whole = conference["capacity"] is not None and ticket.kind is TicketKind.MAIN
            pools = [conference["id"], ticket.id] if whole else [ticket.id]
            tickets.append(_Ticket(attendee_id, ticket, price, pools, reserved.pop(ticket.id, None)))
    return _Plan(
        uuid4(), payer_name, payer_email, sum(t.price for t in tickets), conference["currency"],
        now + timedelta(minutes=conference["hold_minutes"]), discount, attendee_rows, tickets,
    )  # fmt: skip


def _fits_a_batch(plan: _Plan) -> bool:
    return (
        plan.discount is None
        and len(plan.tickets) == 1
        and len(plan.tickets[0].pools) == 1
        and plan.tickets[0].kept is None
    )


def _held_event(deps: Deps, plan: _Plan, conference: Any, attendees: list[AttendeeIn], correlation_id: UUID,
                pay_link: str) -> contract.RegistrationHeld:  # fmt: skip
    names: dict[UUID, list[str]] = {t.attendee_id: [] for t in plan.tickets}
    for t in plan.tickets:
        names[t.attendee_id].append(t.ticket.name)
    return contract.RegistrationHeld(
        producer=PRODUCER,
        correlation_id=correlation_id,
        payload=contract.RegistrationHeldPayload(
            registration_id=plan.registration_id,
            conference_id=conference["id"],
            conference_name=conference["name"],
            payer_name=plan.payer_name,
            payer_email=plan.payer_email,
            attendees=[
                contract.AttendeeTicket(attendee_id=a[0], name=a[1], email=a[2], ticket_types=names[a[0]])
                for a in plan.attendees
            ],
            amount_minor=plan.total,
            currency=plan.currency,
            manage_url=registration_url(deps, plan.registration_id),
            starts_on=conference["starts_on"],
            ends_on=conference["ends_on"],
            venue=conference["venue"] or None,
            hold_expires_at=plan.hold_expires_at,
            checkout_url=pay_link,
        ),
    )


async def _write_in_batch(deps: Deps, plan: _Plan, conference_id: UUID, event: contract.RegistrationHeld) -> bool:
    """False when no seat was free this instant (busy shards, or sold out): nothing written."""
    ticket, (attendee_id, name, email, answers, member) = plan.tickets[0], plan.attendees[0]
    hold = OneSeatHold(
        ticket.ticket.id, conference_id, plan.currency, plan.registration_id, plan.payer_name, plan.payer_email,
        plan.total, plan.hold_expires_at, attendee_id, name, email, answers, member,
        event.event_id, event.event_type, CONFERENCE, event.aggregate_id(), event.model_dump_json().encode(),
    )  # fmt: skip
    return await deps.holds.write(hold)


async def _write(deps: Deps, plan: _Plan, conference_id: UUID, event: contract.RegistrationHeld | None,
                 correlation_id: UUID, now: datetime) -> None:  # fmt: skip
    """Every seat in turn (waiting for busy shards), the rows, then the event or, for nothing to
    pay, the confirmation: all in one transaction."""
    async with deps.pool.acquire() as conn, conn.transaction():
        if plan.discount is not None:
            await _use(conn, plan.discount)
        shards = [t.kept if t.kept is not None else await _take(deps, conn, t) for t in plan.tickets]
        await conn.execute(
            _WRITE,
            plan.registration_id, conference_id, plan.payer_name, plan.payer_email, plan.total, plan.currency,
            plan.discount.id if plan.discount else None, plan.hold_expires_at,
            *(list(column) for column in zip(*plan.attendees, strict=True)),
            [t.attendee_id for t in plan.tickets], [t.ticket.id for t in plan.tickets],
            [t.price for t in plan.tickets], [json.dumps(s) for s in shards],
        )  # fmt: skip
        if event is None:
            await confirm(deps, conn, plan.registration_id, now, payment_intent=None, correlation_id=correlation_id)
        else:
            await add_to_outbox(conn, CONFERENCE, event)


async def _take(deps: Deps, conn: Connection, ticket: _Ticket) -> list[list[Any]]:
    taken: list[list[Any]] = []
    for pool_id in ticket.pools:
        shard = await deps.capacity.take(conn, pool_id)
        if shard is None:
            raise SoldOut(ticket.ticket.id, ticket.ticket.name if pool_id == ticket.ticket.id else "the conference")
        taken.append([str(pool_id), shard])
    return taken


async def _discount(deps: Deps, conference_id: UUID, code: str, now: datetime) -> DiscountCode:
    row = await deps.pool.fetchrow(
        "SELECT * FROM discount_codes WHERE conference_id = $1 AND code = $2", conference_id, code.strip().upper()
    )
    if row is None:
        raise RegistrationRefused("discount_code", "no such code for this conference")
    discount = DiscountCode(
        row["id"],
        row["code"],
        row["percent_off"],
        row["amount_off_minor"],
        row["valid_from"],
        row["valid_until"],
        frozenset(row["ticket_type_ids"]) if row["ticket_type_ids"] is not None else None,
    )
    discount.check_valid(now)
    return discount


async def _use(conn: Connection, discount: DiscountCode) -> None:
    """One statement decides: a use is taken only while uses remain (and the CHECK backs it)."""
    used = await conn.fetchval(
        "UPDATE discount_codes SET used = used + 1 WHERE id = $1 AND used < max_uses RETURNING used", discount.id
    )
    if used is None:
        raise RegistrationRefused("discount_code", "this code has been used up")
