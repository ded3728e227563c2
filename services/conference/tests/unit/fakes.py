"""In-memory stand-ins for everything conference's use cases reach: a unit of work over
dictionaries (rolled back unless committed), and fake Stripe, hold batches and webhook log.
Nothing here touches Postgres, Kafka, Stripe or SMTP."""

import copy
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, Literal, Self
from uuid import UUID, uuid4

from conference.adapters.hold_batches import OneSeatHold
from conference.adapters.stripe_gateway import Checkout
from conference.config import ConferenceSettings
from conference.domain.booking import Booking, ConferenceForSale
from conference.domain.model import DiscountCode, RefundPolicy, RegistrationStatus
from conference.domain.registration import Registration, new_ticket_code
from conference.domain.waitlist import WaitlistEntry, WaitlistStatus
from conference.service_layer.deps import Deps
from conference.service_layer.unit_of_work import (
    Attendees,
    Catalog,
    DiscountCodes,
    Registrations,
    Seats,
    Views,
    Waitlist,
)
from convene_contracts import Event

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
Shards = list[list[Any]]


@dataclass
class State:
    """Everything the service keeps, as the Postgres tables would hold it."""

    conferences: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    ticket_types: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    pools: dict[UUID, list[int]] = field(default_factory=dict)  # free units per shard
    registrations: dict[UUID, Registration] = field(default_factory=dict)
    payers: dict[UUID, dict[str, Any]] = field(default_factory=dict)  # payer_name, discount_code_id
    attendees: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    tickets: list[dict[str, Any]] = field(default_factory=list)  # attendee_id, ticket_type_id, price, shards
    discount_codes: dict[UUID, tuple[DiscountCode, int, int]] = field(default_factory=dict)  # code, used, max
    waitlist: dict[UUID, WaitlistEntry] = field(default_factory=dict)  # in the order they joined
    certificates: set[UUID] = field(default_factory=set)
    outbox: list[Event] = field(default_factory=list)
    members: set[str] = field(default_factory=set)
    stripe_events: set[str] = field(default_factory=set)


class Database:
    def __init__(self) -> None:
        self.state = State()

    def published(self, event_type: str) -> list[Event]:
        return [e for e in self.state.outbox if e.event_type == event_type]

    def seats_left(self, pool_id: UUID) -> int:
        return sum(self.state.pools[pool_id])

    def attendees_of(self, registration_id: UUID) -> list[dict[str, Any]]:
        return [a for a in self.state.attendees.values() if a["registration_id"] == registration_id]


def _facts(s: State, registration_id: UUID) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    r = s.registrations[registration_id]
    c = s.conferences[r.conference_id]
    registration = {
        "conference_id": r.conference_id,
        "conference_name": c["name"],
        "payer_name": s.payers[r.id]["payer_name"],
        "payer_email": r.payer_email,
        "amount_minor": r.amount_minor,
        "currency": r.currency,
        "starts_on": c["starts_on"],
        "ends_on": c["ends_on"],
        "venue": c["venue"],
    }
    attendees = []
    for a in sorted(
        (a for a in s.attendees.values() if a["registration_id"] == registration_id), key=lambda a: a["name"]
    ):
        types = [s.ticket_types[t["ticket_type_id"]]["name"] for t in s.tickets if t["attendee_id"] == a["id"]]
        attendees.append(a | {"types": types})
    return registration, attendees


class FakeRegistrations:
    def __init__(self, s: State) -> None:
        self.s = s

    async def get(self, registration_id: UUID) -> Registration | None:
        found = self.s.registrations.get(registration_id)
        return copy.deepcopy(found) if found else None

    async def add(self, booking: Booking, shards: list[Shards]) -> None:
        b = booking
        self.s.registrations[b.registration_id] = Registration(
            b.registration_id,
            b.conference_id,
            RegistrationStatus.HELD,
            b.payer_email,
            b.total,
            b.currency,
            b.hold_expires_at,
            refund_policy=_policy(self.s.conferences[b.conference_id]),
        )
        self.s.payers[b.registration_id] = {
            "payer_name": b.payer_name,
            "discount_code_id": b.discount.id if b.discount else None,
        }
        for a in b.attendees:
            self.s.attendees[a.id] = {
                "id": a.id,
                "registration_id": b.registration_id,
                "name": a.name,
                "email": a.email,
                "ticket_code": None,
                "checked_in_at": None,
            }
        for t, taken in zip(b.tickets, shards, strict=True):
            self.s.tickets.append(
                {"attendee_id": t.attendee_id, "ticket_type_id": t.ticket.id, "price": t.price, "shards": taken}
            )

    async def save(self, registration: Registration) -> None:
        kept = copy.deepcopy(registration)
        kept.events.clear()
        self.s.registrations[registration.id] = kept

    async def facts(self, registration_id: UUID) -> tuple[Any, list[Any]]:
        return _facts(self.s, registration_id)

    async def checkout_lines(self, registration_id: UUID) -> list[Any]:
        lines = []
        for a in self.s.attendees.values():
            if a["registration_id"] == registration_id:
                mine = [t for t in self.s.tickets if t["attendee_id"] == a["id"]]
                names = ", ".join(sorted(self.s.ticket_types[t["ticket_type_id"]]["name"] for t in mine))
                lines.append({"name": a["name"], "tickets": names, "amount": sum(t["price"] for t in mine)})
        return lines

    def _tickets(self, registration_id: UUID) -> list[dict[str, Any]]:
        mine = {a["id"] for a in self.s.attendees.values() if a["registration_id"] == registration_id}
        return [t for t in self.s.tickets if t["attendee_id"] in mine]

    async def tickets(self, registration_id: UUID) -> list[Any]:
        return [
            {"ticket_type_id": t["ticket_type_id"], "shards": json.dumps(t["shards"])}
            for t in self._tickets(registration_id)
        ]

    async def retake_seats(self, registration_id: UUID) -> bool:
        tickets = self._tickets(registration_id)
        wanted = [UUID(pool) for t in tickets for pool, _ in t["shards"]]
        if any(self.s.pools[pool].count(0) == len(self.s.pools[pool]) for pool in wanted):
            return False
        for t in tickets:
            t["shards"] = [[pool, _take(self.s, UUID(pool))] for pool, _ in t["shards"]]
        return True

    async def issue_ticket_codes(self, registration_id: UUID) -> None:
        for a in self.s.attendees.values():
            if a["registration_id"] == registration_id:
                a["ticket_code"] = new_ticket_code()

    async def record_refund_paid(self, registration_id: UUID) -> None:
        r = self.s.registrations[registration_id]
        r.refunded_minor = r.refund_due_minor


def _policy(conference: dict[str, Any]) -> RefundPolicy:
    return RefundPolicy(
        conference["full_refund_until"], conference["partial_refund_until"], conference["partial_refund_percent"]
    )


def _take(s: State, pool_id: UUID) -> int | None:
    for shard, free in enumerate(s.pools[pool_id]):
        if free > 0:
            s.pools[pool_id][shard] -= 1
            return shard
    return None


class FakeSeats:
    def __init__(self, s: State) -> None:
        self.s = s

    async def take(self, pool_id: UUID) -> int | None:
        return _take(self.s, pool_id)

    async def release(self, pool_id: UUID, shard: int) -> None:
        self.s.pools[pool_id][shard] += 1

    async def available(self, pool_id: UUID) -> int:
        return sum(self.s.pools.get(pool_id, []))


class FakeDiscountCodes:
    def __init__(self, s: State) -> None:
        self.s = s

    async def use(self, discount: DiscountCode) -> bool:
        code, used, most = self.s.discount_codes[discount.id]
        if used >= most:
            return False
        self.s.discount_codes[discount.id] = (code, used + 1, most)
        return True

    async def give_back_use(self, registration_id: UUID) -> None:
        code_id = self.s.payers[registration_id]["discount_code_id"]
        if code_id is not None:
            code, used, most = self.s.discount_codes[code_id]
            self.s.discount_codes[code_id] = (code, used - 1, most)


class FakeWaitlist:
    def __init__(self, s: State) -> None:
        self.s = s

    async def add(self, entry: WaitlistEntry) -> bool:
        if any(
            e.ticket_type_id == entry.ticket_type_id
            and e.email == entry.email
            and e.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
            for e in self.s.waitlist.values()
        ):
            return False
        self.s.waitlist[entry.id] = copy.deepcopy(entry)
        return True

    async def get(self, entry_id: UUID) -> WaitlistEntry | None:
        found = self.s.waitlist.get(entry_id)
        return copy.deepcopy(found) if found else None

    async def first_waiting(self, ticket_type_id: UUID) -> WaitlistEntry | None:
        waiting = [
            e
            for e in self.s.waitlist.values()
            if e.ticket_type_id == ticket_type_id and e.status is WaitlistStatus.WAITING
        ]
        return copy.deepcopy(waiting[0]) if waiting else None

    async def offers_past_deadline(self, now: datetime) -> list[WaitlistEntry]:
        return [
            copy.deepcopy(e)
            for e in self.s.waitlist.values()
            if e.status is WaitlistStatus.OFFERED and e.offer_expires_at is not None and e.offer_expires_at <= now
        ]

    async def save(self, entry: WaitlistEntry) -> None:
        kept = copy.deepcopy(entry)
        kept.events.clear()
        self.s.waitlist[entry.id] = kept

    async def save_passed_on(self, entries: list[WaitlistEntry]) -> None:
        for entry in entries:
            await self.save(entry)

    async def payload(self, entry_id: UUID) -> Any:
        e = self.s.waitlist[entry_id]
        return {
            "id": e.id,
            "conference_id": e.conference_id,
            "name": e.name,
            "email": e.email,
            "conference_name": self.s.conferences[e.conference_id]["name"],
            "ticket_type_id": e.ticket_type_id,
            "ticket_type_name": self.s.ticket_types[e.ticket_type_id]["name"],
        }


class FakeCatalog:
    def __init__(self, s: State) -> None:
        self.s = s

    async def add_conference(self, conference_id: UUID, fields: Any) -> None:
        self.s.conferences[conference_id] = dict(fields) | {
            "id": conference_id,
            "questions": json.dumps(fields["questions"]),
        }
        if fields["capacity"] is not None:
            self.s.pools[conference_id] = [fields["capacity"]]

    async def update_conference(self, conference_id: UUID, fields: Any) -> bool:
        if conference_id not in self.s.conferences:
            return False
        kept = ("currency", "capacity", "questions", "status")
        self.s.conferences[conference_id] |= {k: v for k, v in dict(fields).items() if k not in kept}
        return True

    async def set_status(self, conference_id: UUID, status: str) -> bool:
        if conference_id not in self.s.conferences:
            return False
        self.s.conferences[conference_id]["status"] = status
        return True

    async def conference(self, conference_id: UUID) -> Any:
        return self.s.conferences.get(conference_id)

    async def conference_exists(self, conference_id: UUID) -> bool:
        return conference_id in self.s.conferences

    async def add_ticket_type(self, ticket_type_id: UUID, conference_id: UUID, fields: Any) -> bool:
        if any(
            t["conference_id"] == conference_id and t["name"] == fields["name"] for t in self.s.ticket_types.values()
        ):
            return False
        self.s.ticket_types[ticket_type_id] = (
            {
                "early_member_price_minor": None,
                "early_non_member_price_minor": None,
                "early_bird_until": None,
                "kind": "main",
            }
            | dict(fields)
            | {"id": ticket_type_id, "conference_id": conference_id}
        )
        self.s.pools[ticket_type_id] = [fields["capacity"]]
        return True

    async def add_discount_code(
        self, code_id: UUID, conference_id: UUID, fields: Any
    ) -> Literal["added", "code taken", "no conference"]:
        if conference_id not in self.s.conferences:
            return "no conference"
        ids = fields.get("ticket_type_ids")
        code = DiscountCode(
            code_id,
            fields["code"].upper(),
            fields.get("percent_off"),
            fields.get("amount_off_minor"),
            fields.get("valid_from"),
            fields.get("valid_until"),
            frozenset(ids) if ids is not None else None,
        )
        self.s.discount_codes[code_id] = (code, 0, fields["max_uses"])
        return "added"

    async def conference_of(self, ticket_type_id: UUID) -> UUID:
        found: UUID = self.s.ticket_types[ticket_type_id]["conference_id"]
        return found

    async def ticket_type_belongs(self, ticket_type_id: UUID, conference_id: UUID) -> bool:
        t = self.s.ticket_types.get(ticket_type_id)
        return t is not None and t["conference_id"] == conference_id


class FakeAttendees:
    def __init__(self, s: State) -> None:
        self.s = s

    async def for_check_in(self, ticket_code: str) -> Any:
        for a in self.s.attendees.values():
            r = self.s.registrations[a["registration_id"]]
            if a["ticket_code"] == ticket_code and r.status is RegistrationStatus.CONFIRMED:
                return a | {"conference_id": r.conference_id, "conference": self.s.conferences[r.conference_id]["name"]}
        return None

    async def check_in(self, attendee_id: UUID, at: datetime, by: str) -> None:
        self.s.attendees[attendee_id] |= {"checked_in_at": at, "checked_in_by": by}

    async def undo_check_in(self, ticket_code: str) -> bool:
        for a in self.s.attendees.values():
            if a["ticket_code"] == ticket_code and a["checked_in_at"] is not None:
                a["checked_in_at"] = a["checked_in_by"] = None
                return True
        return False

    async def issue_certificates(self, conference_id: UUID, hours: Any, at: datetime) -> list[Any]:
        issued = []
        for a in self.s.attendees.values():
            r = self.s.registrations[a["registration_id"]]
            if (
                r.conference_id == conference_id
                and r.status is RegistrationStatus.CONFIRMED
                and a["checked_in_at"] is not None
                and a["id"] not in self.s.certificates
            ):
                self.s.certificates.add(a["id"])
                issued.append(a)
        return issued


class FakeViews:
    """The reads the unit-tested use cases make; the operators' lists and reports answer empty."""

    def __init__(self, s: State | None = None, database: "Database | None" = None) -> None:
        self._fixed, self._database = s, database

    @property
    def s(self) -> State:
        if self._fixed is not None:
            return self._fixed
        assert self._database is not None
        return self._database.state

    async def discount_code(self, conference_id: UUID, code: str) -> DiscountCode | None:
        for found, _, _ in self.s.discount_codes.values():
            if found.code == code:
                return found
        return None

    async def is_member(self, email: str) -> bool:
        return email.lower() in self.s.members

    async def holds_past(self, now: datetime) -> list[Any]:
        return [
            {"id": r.id, "checkout_session_id": r.checkout_session_id}
            for r in self.s.registrations.values()
            if r.status is RegistrationStatus.HELD and r.hold_expires_at <= now
        ]

    async def conference_page(self, conference_id: UUID) -> tuple[Any, list[Any], int | None] | None:
        c = self.s.conferences.get(conference_id)
        if c is None:
            return None
        types = [
            t | {"available": sum(self.s.pools[t["id"]])}
            for t in self.s.ticket_types.values()
            if t["conference_id"] == conference_id
        ]
        return c, types, sum(self.s.pools[conference_id]) if c["capacity"] is not None else None

    async def open_conferences(self, now: datetime) -> list[Any]:
        return [c for c in self.s.conferences.values() if c["status"] == "open" and c["registration_closes_at"] > now]

    async def registration_for_attendee(self, registration_id: UUID) -> tuple[Any, Any, list[Any]] | None:
        r = self.s.registrations.get(registration_id)
        if r is None:
            return None
        c = self.s.conferences[r.conference_id]
        row = {
            "status": r.status.value,
            "amount_minor": r.amount_minor,
            "refunded_minor": r.refunded_minor,
            "hold_expires_at": r.hold_expires_at,
            "full_refund_until": c["full_refund_until"],
            "partial_refund_until": c["partial_refund_until"],
            "partial_refund_percent": c["partial_refund_percent"],
        }
        return (row, *_facts(self.s, registration_id))

    async def registration_details(self, registration_id: UUID) -> tuple[Any, list[Any]] | None:
        return None

    async def registrations_of(self, email: str) -> list[Any]:
        return []

    async def waitlist_offer(self, entry_id: UUID, token_sha256: bytes) -> Any:
        e = self.s.waitlist.get(entry_id)
        if e is None or e.offer_token_sha256 != token_sha256:
            return None
        c = self.s.conferences[e.conference_id]
        return {
            "id": e.id,
            "conference_id": e.conference_id,
            "conference_name": c["name"],
            "time_zone": c["time_zone"],
            "ticket_type_name": self.s.ticket_types[e.ticket_type_id]["name"],
            "name": e.name,
            "status": e.status.value,
            "offer_expires_at": e.offer_expires_at,
        }

    async def ticket(self, ticket_code: str) -> Any:
        return None

    async def certificate(self, attendee_id: UUID) -> Any:
        return None

    async def conferences(self) -> list[Any]:
        return list(self.s.conferences.values())

    async def conference(self, conference_id: UUID) -> Any:
        return self.s.conferences.get(conference_id)

    async def ticket_types(self, conference_id: UUID) -> list[Any]:
        return [t for t in self.s.ticket_types.values() if t["conference_id"] == conference_id]

    async def discount_codes(self, conference_id: UUID) -> list[Any]:
        return []

    async def registrations(self, conference_id: UUID, search: str, status: str, limit: int) -> list[Any]:
        return []

    async def registration_in_full(self, registration_id: UUID) -> tuple[Any, list[Any]] | None:
        return None

    async def by_ticket_type(self, conference_id: UUID) -> list[Any]:
        return []

    async def registrations_for_export(self, conference_id: UUID) -> list[Any]:
        return []

    async def revenue_by_month(self, conference_id: UUID, zone: str) -> list[Any]:
        return []

    async def registrations_by_day(self, conference_id: UUID, zone: str, days: int) -> list[Any]:
        return []

    async def attendance(self, conference_id: UUID) -> Any:
        return {"attendees": 0, "checked_in": 0}


class FakeUnitOfWork:
    """Works on a copy of the database's state; `commit` puts the copy back with the events."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.committed = False

    async def __aenter__(self) -> Self:
        self.s = copy.deepcopy(self.database.state)
        self.registrations: Registrations = FakeRegistrations(self.s)
        self.seats: Seats = FakeSeats(self.s)
        self.discount_codes: DiscountCodes = FakeDiscountCodes(self.s)
        self.waitlist: Waitlist = FakeWaitlist(self.s)
        self.catalog: Catalog = FakeCatalog(self.s)
        self.attendees: Attendees = FakeAttendees(self.s)
        self.views: Views = FakeViews(self.s)
        return self

    async def commit(self, events: Sequence[Event]) -> None:
        self.s.outbox.extend(events)
        self.database.state = self.s
        self.committed = True

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None  # not committed: the copy is dropped, as a rollback would


@dataclass
class FakeStripe:
    checkouts: list[UUID] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    refunds: list[tuple[UUID, str, int]] = field(default_factory=list)

    async def checkout(
        self,
        registration_id: UUID,
        payer_email: str,
        lines: list[tuple[str, int]],
        currency: str,
        expires_at: datetime,
        success_url: str,
        cancel_url: str,
    ) -> Checkout:
        self.checkouts.append(registration_id)
        return Checkout(f"cs_test_{len(self.checkouts)}", f"https://checkout.stripe.test/{len(self.checkouts)}")

    async def expire_checkout(self, session_id: str) -> None:
        self.expired.append(session_id)

    async def refund(self, registration_id: UUID, payment_intent: str, amount_minor: int) -> str:
        self.refunds.append((registration_id, payment_intent, amount_minor))
        return f"re_{len(self.refunds)}"


class FakeHolds:
    """Reads the conference as the batched read does; `write` finds no seat free this instant, so
    every hold takes the unit of work's path (the batch itself is tested on the real stack)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.written: list[OneSeatHold] = []

    async def read(self, conference_id: UUID, emails: list[str]) -> ConferenceForSale | None:
        s = self.database.state
        c = s.conferences.get(conference_id)
        if c is None:
            return None
        types = [t for t in s.ticket_types.values() if t["conference_id"] == conference_id]
        return c | {"ticket_types": types, "members": [e.lower() for e in emails if e.lower() in s.members]}

    async def write(self, hold: OneSeatHold) -> bool:
        self.written.append(hold)
        return False


class FakeStripeNotices:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.forgotten: list[str] = []

    async def first_time(self, event_id: str, event_type: str) -> bool:
        seen = self.database.state.stripe_events
        if event_id in seen:
            return False
        seen.add(event_id)
        return True

    async def forget(self, event_id: str) -> None:
        self.database.state.stripe_events.discard(event_id)
        self.forgotten.append(event_id)

    async def refunded(self, payment_intent: str, amount_refunded_minor: int) -> None:
        for r in self.database.state.registrations.values():
            if r.payment_intent == payment_intent:
                r.refunded_minor = max(r.refunded_minor, amount_refunded_minor)


SETTINGS = ConferenceSettings(
    database_url="postgresql://unit.invalid/none",
    kafka_bootstrap_servers="unit.invalid:9092",
    operator_token_sha256=hashlib.sha256(b"unit").hexdigest(),
    stripe_secret_key="sk_test_unit",
    stripe_webhook_secret="whsec_unit",
    attendee_link_secret="u" * 32,
    session_secret="unit-session-secret-0123456789-0123456789",
)


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def move(self, by: timedelta) -> None:
        self.now += by


@dataclass
class Service:
    """The use cases' Deps over fakes, with the fakes at hand and helpers that set things up."""

    database: Database
    stripe: FakeStripe
    holds: FakeHolds
    notices: FakeStripeNotices
    clock: Clock
    deps: Deps

    @property
    def state(self) -> State:
        return self.database.state

    def conference(self, **overrides: Any) -> UUID:
        conference_id = uuid4()
        self.state.conferences[conference_id] = {
            "id": conference_id,
            "name": "CIT Conference",
            "venue": "Chicago",
            "time_zone": "America/Chicago",
            "starts_on": date(2027, 8, 16),
            "ends_on": date(2027, 8, 19),
            "status": "open",
            "currency": "usd",
            "registration_opens_at": NOW - timedelta(days=1),
            "registration_closes_at": NOW + timedelta(days=60),
            "capacity": None,
            "hold_minutes": 15,
            "full_refund_until": NOW + timedelta(days=30),
            "partial_refund_until": NOW + timedelta(days=50),
            "partial_refund_percent": 50,
            "certificate_hours": 12,
            "questions": "[]",
        } | overrides
        if self.state.conferences[conference_id]["capacity"] is not None:
            self.state.pools[conference_id] = [self.state.conferences[conference_id]["capacity"]]
        return conference_id

    def ticket_type(
        self,
        conference_id: UUID,
        capacity: int = 100,
        member: int = 30000,
        others: int = 45000,
        kind: str = "main",
        name: str = "Full conference",
    ) -> UUID:
        ticket_type_id = uuid4()
        self.state.ticket_types[ticket_type_id] = {
            "id": ticket_type_id,
            "conference_id": conference_id,
            "name": name,
            "kind": kind,
            "capacity": capacity,
            "member_price_minor": member,
            "non_member_price_minor": others,
            "early_member_price_minor": None,
            "early_non_member_price_minor": None,
            "early_bird_until": None,
        }
        self.state.pools[ticket_type_id] = [capacity // 2, capacity - capacity // 2]  # two shards
        return ticket_type_id

    def discount_code(self, code: str, percent_off: int, max_uses: int) -> UUID:
        code_id = uuid4()
        self.state.discount_codes[code_id] = (
            DiscountCode(code_id, code, percent_off, None, None, None, None),
            0,
            max_uses,
        )
        return code_id


def service() -> Service:
    database = Database()
    stripe, holds, notices, clock = FakeStripe(), FakeHolds(database), FakeStripeNotices(database), Clock()
    deps = Deps(
        settings=SETTINGS,
        stripe=stripe,
        holds=holds,
        stripe_notices=notices,
        views=FakeViews(database=database),
        uow=lambda: FakeUnitOfWork(database),
        clock=clock,
    )
    return Service(database, stripe, holds, notices, clock, deps)


def kinds(events: Iterable[Event]) -> list[str]:
    return [e.event_type for e in events]
