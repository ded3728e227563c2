"""Realistic events for tests."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from convene_contracts.membership import MembershipActivated, MembershipActivatedPayload


def activated(
    member_id: UUID | None = None, *, level_name: str = "Individual", email: str = "ada@example.org"
) -> MembershipActivated:
    payload = MembershipActivatedPayload(
        member_id=member_id or uuid4(),
        membership_id=uuid4(),
        email=email,
        member_name="Ada Lovelace",
        level_id=uuid4(),
        level_name=level_name,
        period_start=datetime(2026, 1, 1, tzinfo=UTC),
        period_end=datetime(2027, 1, 1, tzinfo=UTC),
        amount_minor=7500,
        currency="usd",
        auto_renew=False,
    )
    return MembershipActivated(producer="test", correlation_id=uuid4(), payload=payload)
