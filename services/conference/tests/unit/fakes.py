"""In-memory stand-ins for everything conference's use cases reach: a unit of work over
dictionaries (rolled back unless committed), and fake Stripe and hold batches.
Nothing here touches Postgres, Kafka, Stripe or SMTP."""

import copy
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Self
from uuid import UUID, uuid4

from conference.config import ConferenceSettings
from conference.domain.booking import ConferenceForSale
from conference.domain.model import DiscountCode
from conference.domain.refund import Refund
from conference.service_layer.deps import Deps
from conference.service_layer.gateways import Checkout, OneSeatHold
from conference.service_layer.unit_of_work import (
    Attendees,
    Catalog,
    DiscountCodes,
    People,
    Refunds,
    Registrations,
    Seats,
    StripeEvents,
    Views,
    Waitlist,
)
from convene_contracts import Event

from .fake_catalog import FakeAttendees, FakeCatalog, FakeWaitlist
from .fake_people import FakePeople
from .fake_refunds import FakeRefunds, FakeStripeEvents
from .fake_registrations import FakeDiscountCodes, FakeRegistrations, FakeSeats
from .fake_state import NOW, Database, State
from .fake_views import FakeViews


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
        self.refunds: Refunds = FakeRefunds(self.s)
        self.stripe_events: StripeEvents = FakeStripeEvents(self.s)
        self.people: People = FakePeople(self.s)
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
    keys: list[str] = field(default_factory=list)  # each refund's idempotency key, as asked

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

    async def refund(self, refund: Refund) -> str:
        self.keys.append(refund.idempotency_key)
        self.refunds.append((refund.registration_id, refund.payment_intent, refund.amount_minor))
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
            "max_tickets_per_registration": 10,
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
    stripe, holds, clock = FakeStripe(), FakeHolds(database), Clock()
    deps = Deps(
        settings=SETTINGS,
        stripe=stripe,
        holds=holds,
        views=FakeViews(database=database),
        uow=lambda: FakeUnitOfWork(database),
        clock=clock,
    )
    return Service(database, stripe, holds, clock, deps)


def kinds(events: Iterable[Event]) -> list[str]:
    return [e.event_type for e in events]
