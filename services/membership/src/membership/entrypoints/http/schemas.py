"""What the API accepts and returns. Inputs forbid unknown fields, so a client cannot slip in
`status` or `price`: it gets a 422 naming the field instead."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from convene_service.inputs import MONEY_MAX, Instant, Line, Name, Patch, Text
from convene_service.inputs import EmailAddress as Email
from membership.domain.model import Level, LevelKind, Membership, MembershipStatus, Term


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Currency = Field(
    pattern=r"^[a-z]{3}$",
    description="ISO 4217 code in lower case, as Stripe writes it.",
    examples=["usd", "cad", "eur", "gbp"],
)


class LevelIn(Input):
    name: Name
    price_minor: int = Field(ge=0, le=MONEY_MAX, description="Price in the currency's minor unit (cents).")
    currency: str = Currency
    term: Term
    kind: LevelKind = LevelKind.INDIVIDUAL
    seat_count: int | None = Field(default=None, ge=1, le=100_000, description="Organizational levels only.")
    description: Text = Field(default="", max_length=2000)


class LevelEdit(Patch):
    """Only the fields sent change; none may be null (a level always has a name and a price)."""

    name: Name | None = None
    price_minor: int | None = Field(default=None, ge=0, le=MONEY_MAX)
    seat_count: int | None = Field(default=None, ge=1, le=100_000)
    description: Text | None = Field(default=None, max_length=2000)


class LevelOut(BaseModel):
    id: UUID
    name: str
    price_minor: int
    currency: str
    term: Term
    kind: LevelKind
    seat_count: int | None
    description: str
    retired: bool

    @classmethod
    def of(cls, level: Level) -> "LevelOut":
        return cls(**level.__dict__)


class JoinIn(Input):
    name: Name
    email: Email
    level_id: UUID
    auto_renew: bool = Field(default=False, description="Renew automatically through a Stripe subscription.")
    organization_name: Line | None = Field(default=None, description="Organizational levels.")


class MembershipOut(BaseModel):
    id: UUID
    member_id: UUID
    level_id: UUID
    status: MembershipStatus
    period_start: datetime | None
    period_end: datetime | None
    auto_renew: bool
    grace_ends_at: datetime | None
    organization_name: str | None

    @classmethod
    def of(cls, m: Membership) -> "MembershipOut":
        return cls(
            id=m.id,
            member_id=m.member_id,
            level_id=m.level_id,
            status=m.status,
            period_start=m.period_start,
            period_end=m.period_end,
            auto_renew=m.auto_renew,
            grace_ends_at=m.grace_ends_at,
            organization_name=m.organization_name,
        )


class JoinOut(BaseModel):
    membership: MembershipOut
    checkout_url: str | None = Field(description="Send the member here to pay; null for a free level.")


class OfflinePaymentIn(Input):
    name: Name
    email: Email
    level_id: UUID
    membership_id: UUID | None = Field(default=None, description="Pay for this membership instead of a new one.")
    amount_minor: int = Field(ge=0, le=MONEY_MAX)
    currency: str = Currency
    method: Literal["cheque", "bank_transfer", "cash"]
    reference: Name = Field(description="Cheque number or transfer reference.")
    paid_at: Instant | None = Field(default=None, description="Defaults to now; between the years 1900 and 2200.")


class SignInIn(Input):
    email: Email


class SessionOut(BaseModel):
    session_token: str = Field(description="Send as 'Authorization: Bearer <token>'.")
    expires_at: datetime


class MyMembership(MembershipOut):
    level_name: str


class MeOut(BaseModel):
    id: UUID
    name: str
    email: str
    memberships: list[MyMembership]
    payments: list[dict[str, Any]]


class LevelChangeIn(Input):
    level_id: UUID


class LevelChangeOut(BaseModel):
    membership: MembershipOut
    prorated_minor: int = Field(description="Due for the rest of the period; negative is a credit.")
    checkout_url: str | None = Field(description="Pay here first when moving up; the change applies once paid.")


class SeatIn(Input):
    email: Email
    name: Name


class SeatOut(BaseModel):
    id: UUID
    email: str
    name: str
    assigned_at: datetime


class EraseIn(Input):
    confirm: Literal["erase my data"] = Field(description="Type exactly 'erase my data': this cannot be undone.")


class UrlOut(BaseModel):
    url: str
