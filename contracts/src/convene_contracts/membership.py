"""Events published by the membership service on `convene.membership.v1` (key: member id).

Payloads carry ids and the facts consumers need; personal data is limited to the email address
and name that notifications and conference pricing need, so erasure stays possible.
"""

from datetime import datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from convene_contracts.email import Email
from convene_contracts.envelope import Event, Payload


class MembershipFacts(Payload):
    """What every membership event says about the membership it concerns."""

    member_id: UUID
    membership_id: UUID
    email: Email = Field(description="Where the member receives email.")
    member_name: str
    level_id: UUID
    level_name: str = Field(examples=["Individual", "Agency (10 seats)"])
    notify_member: bool = Field(
        default=True,
        description="False when the change came from importing another platform's records without an"
        " invitation: nobody is emailed about it.",
    )


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
    auto_renew: bool = Field(default=False, description="True: Stripe will charge; no action needed.")


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


class MemberJoinedPayload(MembershipFacts):
    amount_minor: int = Field(ge=0, description="Dues to pay at checkout, in minor units.")
    currency: str = Field(min_length=3, max_length=3)
    auto_renew: bool
    organization_name: str | None = None


class MemberJoined(_MembershipEvent):
    """Someone applied for a membership; it is pending until the dues are paid."""

    event_type: Literal["membership.member_joined"] = "membership.member_joined"
    payload: MemberJoinedPayload


class MembershipPaymentFailedPayload(MembershipFacts):
    amount_minor: int = Field(ge=0)
    currency: str = Field(min_length=3, max_length=3)
    reason: str = Field(examples=["card declined", "async payment failed"])


class MembershipPaymentFailed(_MembershipEvent):
    """A dues payment failed; the member should update their card or pay another way."""

    event_type: Literal["membership.payment_failed"] = "membership.payment_failed"
    payload: MembershipPaymentFailedPayload


class MembershipInGracePayload(MembershipFacts):
    period_end: AwareDatetime
    grace_ends_at: AwareDatetime


class MembershipInGrace(_MembershipEvent):
    """The period ended unpaid; member benefits continue until `grace_ends_at`."""

    event_type: Literal["membership.in_grace"] = "membership.in_grace"
    payload: MembershipInGracePayload


class MembershipLevelChangedPayload(MembershipFacts):
    previous_level_id: UUID
    previous_level_name: str
    prorated_minor: int = Field(description="Due for the rest of the period; negative is a credit.")
    currency: str = Field(min_length=3, max_length=3)


class MembershipLevelChanged(_MembershipEvent):
    """The membership moved to another level for the rest of its period."""

    event_type: Literal["membership.level_changed"] = "membership.level_changed"
    payload: MembershipLevelChangedPayload


class SeatPayload(Payload):
    member_id: UUID = Field(description="The organization's contact, who holds the membership.")
    membership_id: UUID
    seat_id: UUID
    email: Email = Field(description="The seat holder's address.")


class SeatAssignedPayload(SeatPayload):
    name: str
    level_id: UUID
    level_name: str
    organization_name: str | None = None
    notify_member: bool = Field(
        default=True,
        description="False when the change came from importing another platform's records without an"
        " invitation: nobody is emailed about it.",
    )


class SeatAssigned(Event):
    """A person holds one of an organizational membership's seats and counts as a member."""

    event_type: Literal["membership.seat_assigned"] = "membership.seat_assigned"
    payload: SeatAssignedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.member_id)


class SeatRemoved(Event):
    """A seat holder no longer holds the seat."""

    event_type: Literal["membership.seat_removed"] = "membership.seat_removed"
    payload: SeatPayload

    def aggregate_id(self) -> str:
        return str(self.payload.member_id)


class SignInRequestedPayload(Payload):
    member_id: UUID
    email: Email
    member_name: str
    sign_in_url: str = Field(description="Single-use link; carries a secret, never log it.")
    expires_at: AwareDatetime


class SignInRequested(Event):
    """A member asked for a sign-in link; notifications emails it."""

    event_type: Literal["membership.sign_in_requested"] = "membership.sign_in_requested"
    payload: SignInRequestedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.member_id)


class MemberErasedPayload(Payload):
    member_id: UUID
    erased_at: datetime
    email_sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="convene_contracts.privacy.email_digest() of the erased address: how conference and"
        " notifications, which know people by address, find their rows. None from older producers.",
    )


class MemberErased(Event):
    """A member asked to be forgotten: every service removes or pseudonymizes their data."""

    event_type: Literal["membership.member_erased"] = "membership.member_erased"
    payload: MemberErasedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.member_id)


class StaffRole(StrEnum):
    """What a staff member may do (docs/staff.md has each service's map of routes to roles)."""

    OWNER = "owner"  # everything, and manages staff and reads the audit log
    MEMBERSHIP_STAFF = "membership_staff"  # levels, members, offline payments
    EVENT_STAFF = "event_staff"  # conferences, ticket types, codes, comps, refunds, check-in
    CHECK_IN = "check_in"  # the check-in desk only
    READ_ONLY = "read_only"  # sees every operator page, changes nothing


class StaffChangedPayload(Payload):
    """Everything other services need to know about a staff member, whole, so the newest wins."""

    staff_id: UUID
    name: str = Field(description="Shown beside what they did (audit log, check-in).")
    role: str = Field(examples=["owner", "membership_staff", "event_staff", "check_in", "read_only"])
    active: bool = Field(description="False once removed: every credential of theirs is refused.")
    changed_at: AwareDatetime


class StaffChanged(Event):
    """A staff member was added, changed role or name, or removed (key: staff id)."""

    event_type: Literal["membership.staff_changed"] = "membership.staff_changed"
    payload: StaffChangedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.staff_id)


class StaffCredentialRevokedPayload(Payload):
    staff_id: UUID
    credential_id: UUID = Field(description="A session or an API token, refused from now on by every service.")


class StaffCredentialRevoked(Event):
    """A staff session was signed out or an API token revoked (key: staff id)."""

    event_type: Literal["membership.staff_credential_revoked"] = "membership.staff_credential_revoked"
    payload: StaffCredentialRevokedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.staff_id)
