"""Turns domain events into the published contract events."""

from uuid import UUID

from convene_contracts.membership import MembershipActivated, MembershipActivatedPayload
from membership.domain.model import Activated, Level, Member, Membership

PRODUCER = "membership"


def activated_event(
    membership: Membership, member: Member, level: Level, correlation_id: UUID, event: Activated
) -> MembershipActivated:
    assert membership.period_start is not None  # set by activate()
    return MembershipActivated(
        producer=PRODUCER,
        correlation_id=correlation_id,
        payload=MembershipActivatedPayload(
            member_id=member.id,
            membership_id=membership.id,
            email=member.email,
            member_name=member.name,
            level_id=level.id,
            level_name=level.name,
            period_start=membership.period_start,
            period_end=membership.period_end,
            amount_minor=event.amount_minor,
            currency=event.currency,
            auto_renew=membership.auto_renew,
        ),
    )
