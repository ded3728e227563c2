"""Events published by the membership service on `convene.membership.v1` (key: member id).

Payloads carry ids and the facts consumers need; personal data is limited to the email address
and name that notifications and conference pricing need, so erasure stays possible.
"""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, EmailStr, Field

from convene_contracts.envelope import Event, Payload


class MembershipFacts(Payload):
    """What every membership event says about the membership it concerns."""

    member_id: UUID
    membership_id: UUID
    email: EmailStr = Field(description="Where the member receives email.")
    member_name: str
    level_id: UUID
    level_name: str = Field(examples=["Individual", "Agency (10 seats)"])


class _MembershipEvent(Event):
    payload: MembershipFacts

    def aggregate_id(self) -> str:
        return str(self.payload.member_id)


class MembershipActivatedPayload(MembershipFacts):
    period_start: AwareDatetime
    period_end: AwareDatetime | None = Field(description="None for a lifetime membership.")
    amount_minor: int = Field(ge=0, description="Dues paid, in the currency's minor unit.")
    currency: str = Field(min_length=3, max_length=3, examples=["usd", "cad", "eur"])
    auto_renew: bool


class MembershipActivated(_MembershipEvent):
    """Dues were paid (online or offline) and the membership is active."""

    event_type: Literal["membership.activated"] = "membership.activated"
    payload: MembershipActivatedPayload


class MembershipRenewedPayload(MembershipFacts):
    period_end: AwareDatetime
    amount_minor: int = Field(ge=0)
    currency: str = Field(min_length=3, max_length=3)


class MembershipRenewed(_MembershipEvent):
    """A new period was paid for; the membership runs until the new period end."""

    event_type: Literal["membership.renewed"] = "membership.renewed"
    payload: MembershipRenewedPayload


class MembershipExpiringSoonPayload(MembershipFacts):
    period_end: AwareDatetime
    days_before: int = Field(ge=0, examples=[30, 7, 1])


class MembershipExpiringSoon(_MembershipEvent):
    """A reminder is due: the period ends in `days_before` days."""

    event_type: Literal["membership.expiring_soon"] = "membership.expiring_soon"
    payload: MembershipExpiringSoonPayload


class MembershipLapsed(_MembershipEvent):
    """The period and its grace ended unpaid; the person is no longer a member at this level."""

    event_type: Literal["membership.lapsed"] = "membership.lapsed"


class MembershipCancelledPayload(MembershipFacts):
    reason: str = Field(examples=["cancelled by member", "subscription deleted"])


class MembershipCancelled(_MembershipEvent):
    """The membership was ended on purpose before its period ran out."""

    event_type: Literal["membership.cancelled"] = "membership.cancelled"
    payload: MembershipCancelledPayload


class MemberErasedPayload(Payload):
    member_id: UUID
    erased_at: datetime


class MemberErased(Event):
    """A member asked to be forgotten: every service removes or pseudonymizes their data."""

    event_type: Literal["membership.member_erased"] = "membership.member_erased"
    payload: MemberErasedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.member_id)
