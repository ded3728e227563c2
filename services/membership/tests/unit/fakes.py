"""In-memory stand-ins for what membership's use cases reach through `Deps`: a unit of work whose
repositories keep everything in dictionaries, and a payment provider that records its calls.

One `FakeStore` is shared by every unit of work a test opens (as the database is); a unit of
work left without `commit` puts the store back as it found it, as a rolled-back transaction
would. Repositories hand out copies, so a change reaches the store only through `save`."""

import copy
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, ClassVar, Self
from uuid import UUID

from convene_contracts import Event
from membership.config import MembershipSettings
from membership.domain.model import Level, Member
from membership.service_layer.deps import Deps
from membership.service_layer.payment_provider import Checkout

from .fake_imports import FakeImports
from .fake_records import FakeExports, FakePayments, FakeSeats, FakeSessions, FakeViews
from .fake_staff import FakeStaff
from .fake_store import FakeLevels, FakeMembers, FakeMemberships, FakeStore


class FakeUnitOfWork:
    open_now: ClassVar[int] = 0  # units of work open at this moment, as connections held would be

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.levels = FakeLevels(store)
        self.members = FakeMembers(store)
        self.memberships = FakeMemberships(store)
        self.payments = FakePayments(store)
        self.seats = FakeSeats(store)
        self.sessions = FakeSessions(store)
        self.exports = FakeExports(store)
        self.staff = FakeStaff(store)
        self.imports = FakeImports(store)
        self.views = FakeViews(store)
        self.committed = False

    async def __aenter__(self) -> Self:
        self._before = copy.deepcopy(self.store.__dict__)
        FakeUnitOfWork.open_now += 1
        return self

    async def commit(self, events: Sequence[Event]) -> None:
        self.store.outbox.extend(events)
        self.store.commits += 1
        self.committed = True

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        FakeUnitOfWork.open_now -= 1
        if not self.committed:
            self.store.__dict__.update(self._before)  # a rollback: as if nothing happened


@dataclass
class FakePaymentProvider:
    """Records every call, and how many units of work were open when it came (Stripe must be
    called with none: no connection or row lock held); `fail_with` makes the next calls raise."""

    checkouts: list[dict[str, Any]] = field(default_factory=list)
    stopped: list[tuple[str, UUID]] = field(default_factory=list)
    price_changes: list[tuple[str, UUID, UUID]] = field(default_factory=list)
    fail_with: Exception | None = None
    units_open_at_calls: list[int] = field(default_factory=list)

    def _call(self) -> None:
        self.units_open_at_calls.append(FakeUnitOfWork.open_now)
        if self.fail_with is not None:
            raise self.fail_with

    async def checkout(
        self,
        *,
        kind: str,
        membership_id: UUID,
        member: Member,
        level: Level,
        amount_minor: int,
        auto_renew: bool,
        expires_at: datetime,
        customer_id: str | None,
        extra_metadata: dict[str, str] | None = None,
    ) -> Checkout:
        self._call()
        number = len(self.checkouts) + 1
        self.checkouts.append(
            {
                "kind": kind,
                "membership_id": membership_id,
                "member": member,
                "level": level,
                "amount_minor": amount_minor,
                "auto_renew": auto_renew,
                "expires_at": expires_at,
                "customer_id": customer_id,
                "metadata": extra_metadata or {},
            }
        )
        return Checkout(f"cs_test_{number}", f"https://checkout.stripe.test/{number}")

    async def stop_auto_renew(self, subscription_id: str, membership_id: UUID) -> None:
        self._call()
        self.stopped.append((subscription_id, membership_id))

    async def change_subscription_price(self, subscription_id: str, level: Level, membership_id: UUID) -> None:
        self._call()
        self.price_changes.append((subscription_id, level.id, membership_id))

    async def portal_url(self, customer_id: str) -> str:
        self._call()
        return f"https://billing.stripe.test/{customer_id}"


class Clock:
    """The time the use cases see; tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def settings(**overrides: Any) -> MembershipSettings:
    values: dict[str, Any] = {
        "database_url": "postgresql://unused.invalid/membership",  # never connected to
        "kafka_bootstrap_servers": "unused.invalid:9092",
        "operator_token_sha256": hashlib.sha256(b"operator").hexdigest(),
        "stripe_secret_key": "sk_test_unit",
        "stripe_webhook_secret": "whsec_unit",
        "association_timezone": "America/Toronto",
        "membership_pages_url": "https://members.cit.example",
        "session_secret": "unit-session-secret-0123456789-0123456789",
    }
    return MembershipSettings(**(values | overrides))


@dataclass
class World:
    """A test's membership service: `deps` for the use cases, the store and fakes to look at."""

    deps: Deps
    store: FakeStore
    stripe: FakePaymentProvider
    clock: Clock

    def event_types(self) -> list[str]:
        return [event.event_type for event in self.store.outbox]


def world(now: datetime = datetime(2026, 3, 10, 15, 0, tzinfo=UTC), **overrides: Any) -> World:
    store, stripe, clock = FakeStore(), FakePaymentProvider(), Clock(now)
    deps = Deps(settings(**overrides), stripe, uow=lambda: FakeUnitOfWork(store), clock=clock)
    return World(deps, store, stripe, clock)
