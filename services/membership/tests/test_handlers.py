"""Membership use cases against a fake unit of work (no I/O)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Self
from uuid import UUID, uuid4

import pytest

from convene_contracts import Event
from convene_contracts.membership import MembershipActivated
from membership.domain.model import Level, Member, Membership, Term
from membership.service_layer import commands, handlers


@dataclass
class FakeRepository:
    levels: dict[UUID, Level] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    payments: list[str] = field(default_factory=list)

    async def add_level(self, level: Level) -> None:
        self.levels[level.id] = level

    async def get_level(self, level_id: UUID) -> Level | None:
        return self.levels.get(level_id)

    async def member_by_email(self, email: str) -> Member | None:
        return next((m for m in self.members if m.email == email), None)

    async def add_member(self, member: Member) -> None:
        self.members.append(member)

    async def add_membership(self, membership: Membership) -> None:
        self.memberships.append(membership)

    async def payment_reference_exists(self, reference: str) -> bool:
        return reference in self.payments

    async def add_payment(self, membership_id: UUID, amount_minor: int, currency: str, method: str, reference: str,
                          paid_at: datetime) -> None:  # fmt: skip
        self.payments.append(reference)


@dataclass
class FakeUnitOfWork:
    repo: FakeRepository = field(default_factory=FakeRepository)
    published: list[Event] = field(default_factory=list)
    commits: int = 0

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def commit(self, events: list[Event]) -> None:
        self.published += events
        self.commits += 1


INDIVIDUAL = Level(uuid4(), "Individual", 7500, "usd", Term.ANNUAL)


def payment(**overrides: object) -> commands.RecordOfflinePayment:
    fields: dict[str, object] = {
        "name": "Ada Lovelace", "email": "ada@example.org", "level_id": INDIVIDUAL.id, "amount_minor": 7500,
        "currency": "usd", "method": "cheque", "reference": "CHQ-1001", "paid_at": datetime(2026, 3, 1, tzinfo=UTC),
        "correlation_id": uuid4(),
    }  # fmt: skip
    return commands.RecordOfflinePayment(**(fields | overrides))  # type: ignore[arg-type]


def uow_with_level() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.repo.levels[INDIVIDUAL.id] = INDIVIDUAL
    return uow


async def test_an_offline_payment_activates_and_announces_the_membership() -> None:
    uow = uow_with_level()
    membership = await handlers.record_offline_payment(uow, payment())
    [event] = uow.published
    assert isinstance(event, MembershipActivated)
    assert event.payload.membership_id == membership.id
    assert (event.payload.email, event.payload.level_name, event.payload.amount_minor) == (
        "ada@example.org", "Individual", 7500,
    )  # fmt: skip
    assert event.payload.period_end == datetime(2027, 3, 1, tzinfo=UTC)
    assert uow.repo.payments == ["CHQ-1001"]


async def test_a_known_email_gets_a_second_membership_not_a_second_member() -> None:
    uow = uow_with_level()
    await handlers.record_offline_payment(uow, payment())
    await handlers.record_offline_payment(uow, payment(reference="CHQ-1002"))
    assert len(uow.repo.members) == 1
    assert len(uow.repo.memberships) == 2


@pytest.mark.parametrize(
    ("overrides", "error"),
    [({"level_id": uuid4()}, handlers.UnknownLevel), ({"currency": "cad"}, handlers.CurrencyMismatch)],
)
async def test_a_payment_that_does_not_fit_the_level_changes_nothing(
    overrides: dict[str, object], error: type[Exception]
) -> None:
    uow = uow_with_level()
    with pytest.raises(error):
        await handlers.record_offline_payment(uow, payment(**overrides))
    assert (uow.commits, uow.repo.members, uow.published) == (0, [], [])


async def test_the_same_cheque_cannot_be_recorded_twice() -> None:
    uow = uow_with_level()
    await handlers.record_offline_payment(uow, payment())
    with pytest.raises(handlers.PaymentAlreadyRecorded):
        await handlers.record_offline_payment(uow, payment())
    assert len(uow.published) == 1
